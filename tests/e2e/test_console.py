"""The console chat runs the same flows: ask, switch to the expert, take, answer, close."""

from __future__ import annotations

import io

from sqlalchemy.engine import Engine

from bot.console.chat import ConsoleChat
from bot.refusals import wording
from models.clock import FixedClock
from models.errors import Why
from tests.helpers import ASKER, invitations, make_deps, only_question


def test_ask_take_answer_and_close_in_the_console(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock)
    out = io.StringIO()
    chat = ConsoleChat(deps, ASKER, out, advance=clock.advance)
    chat.handle("Wie kent de regels van de WSNP en beschermingsbewind bij schulden?")
    with deps.sessions() as session:
        question = only_question(session)
        first = invitations(session)[0]
    assert out.getvalue().count("/pak ") == 3
    chat.handle(f"/als {first.member_id}")
    chat.handle("/uitnodigingen")
    assert f"  {first.id} [nieuw] " in out.getvalue()
    chat.handle(f"/pak {first.id}")
    assert f"Stuur je antwoord met /antwoord {first.id} <tekst>" in out.getvalue()
    chat.handle("/uitnodigingen")
    assert f"  {first.id} [opgepakt] " in out.getvalue()
    chat.handle(f"/antwoord {first.id} Start bij de kantonrechter.")
    assert f"Verstuurd: je antwoord op uitnodiging {first.id} (vraag {question.id})" in (
        out.getvalue()
    )
    assert f"Vraag {question.id} · Antwoord van" in out.getvalue()
    assert "kantonrechter" in out.getvalue()
    chat.handle(f"/als {ASKER}")
    chat.handle(f"/sluit {question.id} 5")
    assert f"Vraag {question.id} · Je vraag is gesloten." in out.getvalue()
    chat.handle("/vragen")
    assert f"  {question.id} [gesloten] " in out.getvalue()
    before = len(out.getvalue())
    chat.handle(f"/sluit {question.id}")
    assert out.getvalue()[before:].strip() == f"Vraag {question.id} is al gesloten."
    text = out.getvalue()
    for slack in ("thread", "[pending]", "[accepted]", "[closed]", "*"):
        assert slack not in text, slack


def test_messages_about_a_question_carry_its_number_and_speak_console(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    out = io.StringIO()
    chat = ConsoleChat(deps, ASKER, out, advance=clock.advance)
    chat.handle("Wie kent de regels van de WSNP en beschermingsbewind bij schulden?")
    chat.handle("Hoe vraag ik bijzondere bijstand aan voor een wasmachine?")
    with deps.sessions() as session:
        first = invitations(session, 1)[0]
    chat.handle(f"/als {first.member_id}")
    chat.handle(f"/pak {first.id}")
    text = out.getvalue()
    assert "Vraag 1 · " in text and "pakt je vraag op. Het antwoord verschijnt hier." in text
    assert "Uitnodiging 1 · Je hebt deze vraag opgepakt" in text
    assert "Uitnodiging 2 · Deze vraag is al opgepakt door een collega." in text
    chat.handle("/wacht 25")
    text = out.getvalue()
    assert "Vraag 2 · Nog niemand heeft je vraag opgepakt." in text
    assert "Vraag 1 · Nog niemand" not in text
    assert "Deze vraag is doorgezet naar andere collega's." in text
    assert "thread" not in text


def test_waiting_shows_the_escalation(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock)
    out = io.StringIO()
    chat = ConsoleChat(deps, ASKER, out, advance=clock.advance)
    chat.handle("Hoe vraag ik bijzondere bijstand aan voor een wasmachine?")
    chat.handle("/wacht 25")
    assert "Nog niemand heeft je vraag opgepakt" in out.getvalue()
    # 10:00 on Tuesday 24 November 2026 in Utrecht, plus 25 minutes: in Dutch, in local time
    assert "Het is nu dinsdag 24-11 10:25 (gesimuleerd)." in out.getvalue()
    assert "Vraag 1: volgende ronde op dinsdag 24-11 10:45" in out.getvalue()


def test_waiting_refuses_what_is_no_time(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock)
    out = io.StringIO()
    chat = ConsoleChat(deps, ASKER, out, advance=clock.advance)
    start = clock.now()
    for typed in ("/wacht -5", "/wacht 0", "/wacht veel", "/wacht", "/wacht 100000"):
        before = len(out.getvalue())
        chat.handle(typed)
        assert "Gebruik: /wacht MINUTEN" in out.getvalue()[before:], typed
    assert clock.now() == start
    chat.handle("/wacht 1,5")
    assert "Het is nu dinsdag 24-11 10:01 (gesimuleerd)." in out.getvalue()


def test_mistakes_get_a_dutch_hint_and_do_not_stop_the_chat(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock)
    out = io.StringIO()
    chat = ConsoleChat(deps, ASKER, out)
    assert chat.handle("/pak")  # missing number
    assert chat.handle("/pak 999")
    assert chat.handle("/als Niemand Bekend")
    assert chat.handle("/onzin")
    assert chat.handle("👍")
    text = out.getvalue()
    assert "begrijp ik niet" in text and "bestaat niet" in text
    assert "Ik ken geen collega" in text and "Onbekend commando" in text
    assert "Ik zie geen vraag" in text
    assert chat.handle("/stop") is False


def test_the_console_searches_the_social_map_and_stores_a_useful_click(
    db: Engine, clock: FixedClock
) -> None:
    from sqlmodel import select

    from models.tables import SuggestionFeedback

    deps = make_deps(db, clock)
    out = io.StringIO()
    chat = ConsoleChat(deps, ASKER, out, advance=clock.advance)
    chat.handle("/sociale-kaart taalcafé in de avond")
    assert "Je zocht: taalcafé in de avond" in out.getvalue()
    assert "/nuttig" in out.getvalue()
    shown = deps.catalogue.find_offers("taalcafé in de avond", limit=3)
    for found in shown:  # every item shows the id /nuttig takes
        assert f"• [{found.offer.offer_id}] {found.offer.name}" in out.getvalue()
    chat.handle(f"/nuttig {shown[0].offer.offer_id}")
    assert "Genoteerd" in out.getvalue()
    chat.handle("/nuttig o999")
    assert "ken ik niet" in out.getvalue()
    chat.handle("/academie dementie herkennen")
    assert "Uit de Buurtacademie" in out.getvalue()
    with deps.sessions() as session:
        (row,) = session.exec(select(SuggestionFeedback)).all()
    assert row.useful and row.member_id == ASKER


def test_the_console_registers_after_confirmation_and_can_undo(
    db: Engine, clock: FixedClock
) -> None:
    from sqlmodel import select

    from models.tables import CaseEvent

    deps = make_deps(db, clock)
    out = io.StringIO()
    chat = ConsoleChat(deps, ASKER, out, advance=clock.advance)
    chat.handle("casus 4711 afgesloten, doel bereikt, cijfer 8")
    assert "Klopt dit? Typ /opslaan om het vast te leggen" in out.getvalue()
    chat.handle("/opslaan")
    assert "Opgeslagen. Verkeerd? /ongedaan kan tot 15 minuten" in out.getvalue()
    assert "*" not in out.getvalue()  # Slack's bold is not printed as asterisks
    chat.handle("/opslaan")
    chat.handle("/registraties")
    assert "Je registraties van vandaag" in out.getvalue()
    with deps.sessions() as session:
        (saved,) = session.exec(select(CaseEvent)).all()
    assert f"• [{saved.id}] " in out.getvalue()
    chat.handle("/ongedaan")
    before = len(out.getvalue())
    chat.handle("/annuleren")
    assert out.getvalue()[before:].strip() == (
        "Die registratie is al ongedaan gemaakt: er telt niets van mee."
    )
    chat.handle("/registreer aanmelding voor mevrouw Jansen")
    with deps.sessions() as session:
        (event,) = session.exec(select(CaseEvent)).all()
    assert event.rapportcijfer == 8 and event.retracted_at is not None
    assert "Ongedaan gemaakt" in out.getvalue()
    assert out.getvalue().count("Klopt dit?") == 1  # the refused one showed no card


def test_the_console_registers_only_for_the_own_team_unless_coordinator(
    db: Engine, clock: FixedClock
) -> None:
    from sqlmodel import select

    from models.tables import CaseEvent
    from tests.helpers import make_coordinator

    deps = make_deps(db, clock)
    out = io.StringIO()
    chat = ConsoleChat(deps, "m003", out)  # Zuilen
    chat.handle("aanmelding casus 4711 via huisarts")
    chat.handle("/opslaan")
    chat.handle(f"/als {ASKER}")  # Lunetten
    chat.handle("/registreer aanmelding Zuilen via huisarts, casus 23-9001")
    chat.handle("/registreer casus 4711 afgesloten, doel bereikt, ervaringwijzer ja")
    text = out.getvalue()
    assert "Je kunt alleen registreren voor je eigen team (Lunetten)." in text
    assert "Casus 4711 hoort bij een ander team." in text
    assert text.count("Klopt dit?") == 1  # only the Zuilen colleague's own card
    make_coordinator(deps, ASKER)
    chat.handle("/registreer aanmelding Zuilen via huisarts, casus 23-9001")
    chat.handle("/opslaan")
    with deps.sessions() as session:
        events = {(e.case_ref, e.team) for e in session.exec(select(CaseEvent)).all()}
    assert events == {("4711", "Zuilen"), ("23-9001", "Zuilen")}


def test_the_console_forwards_without_naming_the_asker_and_reveals_with_notice(
    db: Engine, clock: FixedClock
) -> None:
    from sqlmodel import select

    from models.tables import AuditLog, Member
    from tests.helpers import make_coordinator

    deps = make_deps(db, clock)
    out = io.StringIO()
    chat = ConsoleChat(deps, ASKER, out)
    chat.handle("anoniem: Wie kent de regels van de WSNP en beschermingsbewind bij schulden?")
    with deps.sessions() as session:
        question = only_question(session)
        first, second, third = invitations(session)
        asker = session.get(Member, ASKER)
    assert asker is not None
    invited = {first.member_id, second.member_id, third.member_id, ASKER}
    colleague, other = [m for m in ("m050", "m051", "m052", "m053") if m not in invited][:2]
    chat.handle(f"/als {first.member_id}")
    before = len(out.getvalue())
    chat.handle(f"/stuur {first.id} {ASKER}")
    refused = out.getvalue()[before:]
    assert wording(Why.FORWARD_NOT_TO_THEM) in refused and asker.display_name not in refused
    chat.handle(f"/stuur {first.id} {colleague}")
    chat.handle(f"/stuur {first.id} {other}")
    assert "al gereageerd" in out.getvalue()
    with deps.sessions() as session:
        assert [i.member_id for i in invitations(session) if i.forwarded_by] == [colleague]

    make_coordinator(deps, "m027")  # Lunetten, the asker's team
    chat.handle("/als m027")
    chat.handle(f"/onthul {question.id} zorgen over mevrouw Jansen, tel 06-12345678")
    text = out.getvalue()
    assert f"Vraag {question.id} is gesteld door {asker.display_name}" in text
    assert f"[Vraagbaak → {asker.display_name}]" in text
    assert f"Je stelde vraag {question.id} anoniem. Eva Janssen" in text
    assert "[telefoonnummer]" in text and "06-12345678" not in text
    with deps.sessions() as session:
        (row,) = session.exec(select(AuditLog)).all()
    assert row.actor_id == "m027" and "06-12345678" not in row.detail


def test_the_console_says_that_dutch_is_not_stored_as_a_language(
    db: Engine, clock: FixedClock
) -> None:
    from models.tables import Member

    deps = make_deps(db, clock)
    out = io.StringIO()
    chat = ConsoleChat(deps, ASKER, out)
    chat.handle("/expertise talen Nederlands, Arabisch")
    assert "Nederlands sla ik niet op: dat spreekt iedereen" in out.getvalue()
    with deps.sessions() as session:
        member = session.get(Member, ASKER)
    assert member is not None and member.languages == ("arabisch",)
    before = len(out.getvalue())
    chat.handle("/expertise talen Turks")
    assert "Nederlands" not in out.getvalue()[before:]
