"""The console chat: the same flows as in Slack, typed in a terminal.

One person at a time is "logged in" (/als switches), so a developer or a trainer can ask as a
generalist, switch to an invited expert, take the question and answer, and see the relay.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import timedelta
from typing import TextIO

from rapidfuzz import fuzz, process, utils
from sqlmodel import Session, col, select

from bot.console.sender import ConsoleSender
from bot.render.console_text import console_plain, invitation_state, local_time, question_status
from bot.slack.listeners.cijfers import console_command as cijfers_console
from bot.slack.listeners.expertise import console_command as expertise_console
from bot.slack.listeners.registrations import propose_if_registration
from bot.slack.listeners.reveal import console_command as reveal_console
from bot.wiring import Deps
from bot.workers.ervaringwijzer import feedback_policy
from casework.registration import Refusal
from casework.registration.desk import DeskError
from models.messages import Address, RegistrationList
from models.outbox import enqueue
from models.tables import Invitation, Member, Question
from routing.anonymity import ForwardRefused, claim_forward
from routing.dispatch import DispatchError, Inbound
from routing.intake import IntakeRefused, clean_text
from routing.suggestions import SuggestionError, enqueue_search, record_click

MAX_WAIT_MINUTES = 7 * 24 * 60  # /wacht: at most a week at a time

REGISTRATION_COMMANDS = frozenset(
    {
        "/registreer",
        "/opslaan",
        "/annuleren",
        "/ongedaan",
        "/aanpassen",
        "/registraties",
        "/corrigeer",
        "/uitnodigen",
    }
)
HELP = """Typ een vraag om hem aan collega's voor te leggen. Verder:
  /als ID|naam          wissel van gebruiker (bijv. naar een uitgenodigde expert)
  /uitnodigingen        jouw openstaande uitnodigingen
  /pak N  /niet N       uitnodiging N oppakken of afslaan
  /stuur N ID|naam      uitnodiging N doorsturen naar een collega
  /antwoord N tekst     antwoord geven op uitnodiging N
  /vragen               jouw vragen en waar ze staan
  /sluit V [1-5]        vraag V sluiten, met een cijfer voor het antwoord
  /helpt V E            eerder antwoord E helpt: vraag V sluiten zonder collega's te storen
  /doorsturen V         vraag V toch aan collega's voorleggen
  /versturen V          vraag V versturen zoals je hem zag (nog niemand heeft hem gezien)
  /wijzig V TEKST       vraag V eerst aanpassen; je ziet hem daarna opnieuw
  /sociale-kaart TEKST  zoek op de sociale kaart (noem een wijk om daar te zoeken)
  /academie TEKST       zoek een Buurtacademie-module
  /nuttig ID            de laatst getoonde suggestie ID (bijv. o003, b12) was nuttig
  /niet-nuttig ID       ... was niet nuttig
  /registreer TEKST     registreer, bijv. /registreer casus 4711 afgesloten, doel bereikt
  /opslaan /annuleren   de laatst getoonde registratie opslaan of weggooien
  /aanpassen TEKST      de laatst getoonde registratie vervangen door deze tekst
  /ongedaan             de laatst opgeslagen registratie ongedaan maken (15 minuten)
  /registraties         je registraties van vandaag
  /corrigeer ID TEKST   registratie ID van vandaag vervangen
  /uitnodigen email ADRES | sms NUMMER | link   Ervaringwijzer na een opgeslagen afsluiting
  /expertise [klopt | tags a, b | talen Arabisch, Turks | afwezig JJJJ-MM-DD | vergeet X]
                        je expertiseprofiel bekijken en bijwerken
  /cijfers [team] [periode]   de cijfers van je team (bijv. /cijfers Zuilen vorige week)
  /cijfers instellen DAG TIJD (coördinator) wanneer je team het weekoverzicht krijgt
  /onthul V REDEN       (coördinator) wie vraag V stelde; de reden wordt vastgelegd
  /wacht MINUTEN        laat de tijd verstrijken (toont de escalatie; rondes lopen in werktijd)
  /stop                 afsluiten"""


class ConsoleChat:
    def __init__(
        self,
        deps: Deps,
        member_id: str,
        out: TextIO,
        advance: Callable[[timedelta], None] | None = None,
    ) -> None:
        self.deps = deps
        self.out = out
        self.member_id = member_id
        self._advance = advance
        self.sender = ConsoleSender(deps, out)
        deps.attach_sender(self.sender)
        deps.worker.dm_channel = lambda m: f"console:{m.id}"  # type: ignore[union-attr]
        self._lines = 0

    def say(self, text: str) -> None:
        print(console_plain(text, self.sender.name_of), file=self.out)

    def handle(self, line: str) -> bool:
        """Process one typed line; returns False when the user wants to stop."""
        line = line.strip()
        if not line:
            return True
        self._lines += 1
        try:
            if line.startswith("/"):
                if not self._command(line):
                    return False
            else:
                self._ask(line)
        except (DispatchError, IntakeRefused, SuggestionError, DeskError, ForwardRefused) as error:
            self.say(error.reason)
        except (ValueError, IndexError):
            self.say("Dat commando begrijp ik niet. Typ /hulp voor de mogelijkheden.")
        self.deps.tick()
        return True

    def _ask(self, text: str) -> None:
        now = self.deps.clock.now()
        with self.deps.sessions() as session:
            member = session.get(Member, self.member_id)
            if member is not None:
                outcome = propose_if_registration(
                    self.deps,
                    session,
                    member,
                    text,
                    key=f"console:{self.member_id}:{self._lines}:{now.isoformat()}",
                    channel=f"console:{self.member_id}",
                    thread=None,
                )
                if isinstance(outcome, Refusal):
                    self.say(outcome.text_nl())
                if outcome is not None:
                    session.commit()
                    return
            inbound = Inbound(
                source_key=f"console:{self.member_id}:{now.isoformat()}:{self._lines}",
                asker_id=self.member_id,
                text=text,
                reply_channel=f"console:{self.member_id}",
                reply_thread=f"{self._lines}",
                received_at=now,
            )
            result = self.deps.dispatcher.ask(session, inbound)
            session.commit()
            self.say(f"(vraag {result.question.id})")

    def _find_member(self, query: str) -> Member:
        with self.deps.sessions() as session:
            members = session.exec(select(Member).where(Member.is_active == True)).all()  # noqa: E712
        by_id = {m.id: m for m in members}
        if query in by_id:
            return by_id[query]
        match = process.extractOne(
            query,
            {m.id: m.display_name for m in members},
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=80,
        )
        if match is None:
            raise DispatchError(f"Ik ken geen collega '{query}'.")
        return by_id[match[2]]

    def _command(self, line: str) -> bool:
        parts = shlex.split(line) if line.count('"') % 2 == 0 else line.split()
        name, args = parts[0].lower(), parts[1:]
        dispatcher = self.deps.dispatcher
        with self.deps.sessions() as session:
            if name in ("/stop", "/exit", "/quit"):
                return False
            if name in ("/hulp", "/help"):
                self.say(HELP)
            elif name == "/als":
                member = self._find_member(" ".join(args))
                self.member_id = member.id
                self.say(f"Je bent nu {member.display_name} ({member.team}).")
            elif name == "/uitnodigingen":
                self._list_invitations()
            elif name == "/pak":
                dispatcher.accept(session, int(args[0]), self.member_id)
            elif name == "/niet":
                dispatcher.decline(session, int(args[0]), self.member_id)
            elif name == "/stuur":
                colleague = self._find_member(" ".join(args[1:]))
                now = self.deps.clock.now()
                claim_forward(session, int(args[0]), self.member_id, colleague.id, now)
                dispatcher.forward(session, int(args[0]), self.member_id, colleague.id)
            elif name == "/antwoord":
                invitation = session.get(Invitation, int(args[0]))
                if invitation is None or not args[1:]:
                    raise DispatchError("Gebruik: /antwoord N je antwoord")
                dispatcher.answer(
                    session,
                    invitation,
                    self.member_id,
                    " ".join(args[1:]),
                    f"console:answer:{self._lines}:{self.deps.clock.now()}",
                )
                self.say(
                    f"Verstuurd: je antwoord op uitnodiging {invitation.id} "
                    f"(vraag {invitation.question_id}) gaat naar de vrager."
                )
            elif name == "/vragen":
                self._list_questions()
            elif name == "/sluit":
                self._close(session, int(args[0]), int(args[1]) if args[1:] else None)
            elif name == "/helpt":
                dispatcher.reuse_answer(session, int(args[0]), self.member_id, int(args[1]))
            elif name == "/doorsturen":
                dispatcher.release(session, int(args[0]), self.member_id)
            elif name == "/versturen":
                dispatcher.confirm(session, int(args[0]), self.member_id)
            elif name == "/wijzig":
                if not args[1:]:
                    raise DispatchError("Gebruik: /wijzig N je aangepaste vraag")
                dispatcher.revise(session, int(args[0]), self.member_id, " ".join(args[1:]))
            elif name in ("/sociale-kaart", "/academie"):
                self._search(session, name, " ".join(args))
            elif name in ("/nuttig", "/niet-nuttig"):
                record_click(
                    session,
                    context=self.sender.last_suggestions.get(self.member_id, ""),
                    item_kind="module" if args[0].lower().startswith("b") else "offer",
                    item_id=args[0],
                    member_id=self.member_id,
                    useful=name == "/nuttig",
                    click_id=f"{self._lines}",
                    now=self.deps.clock.now(),
                )
            elif name == "/expertise":
                self.say(expertise_console(self.deps, self.member_id, args))
                if args[:1] == ["talen"] and any(
                    a.strip(" ,").lower() == "nederlands" for a in " ".join(args[1:]).split(",")
                ):
                    self.say(
                        "Nederlands sla ik niet op: dat spreekt iedereen, dus het helpt niet "
                        "bij het kiezen van een collega. De andere talen staan in je profiel."
                    )
            elif name == "/cijfers":
                self.say(cijfers_console(self.deps, self.member_id, args))
            elif name == "/onthul":
                key = f"console:{self.member_id}:{self._lines}:{self.deps.clock.now().isoformat()}"
                self.say(reveal_console(self.deps, self.member_id, args, key=key))
            elif name in REGISTRATION_COMMANDS:
                self._registration(session, name, args)
            elif name == "/wacht" and self._advance is not None:
                self._wait(args)
            else:
                self.say("Onbekend commando. Typ /hulp.")
            session.commit()
        return True

    def _close(self, session: Session, question_id: int, rating: int | None) -> None:
        question = session.get(Question, question_id)
        already = question is not None and question_status(question.status) == "gesloten"
        self.deps.dispatcher.close(session, question_id, self.member_id, rating=rating)
        if already:
            self.say(f"Vraag {question_id} is al gesloten.")

    def _wait(self, args: list[str]) -> None:
        """Let simulated time pass (the console's clock only), then say what time it is and
        when the asker's open questions go to their next wave."""
        try:
            minutes = float(args[0].replace(",", "."))
        except (IndexError, ValueError):
            minutes = -1
        if not 0 < minutes <= MAX_WAIT_MINUTES:
            raise DispatchError(
                f"Gebruik: /wacht MINUTEN, een getal van 1 tot {MAX_WAIT_MINUTES} (een week)."
            )
        assert self._advance is not None
        self._advance(timedelta(minutes=minutes))
        now = self.deps.clock.now()
        self.say(f"Het is nu {local_time(now)} (gesimuleerd).")
        self.deps.tick()  # the escalation this wait caused, before what is still to come
        with self.deps.sessions() as session:
            waiting = session.exec(
                select(Question).where(
                    Question.asker_id == self.member_id,
                    col(Question.next_wave_at).is_not(None),
                    col(Question.status).in_(["open", "held"]),
                )
            ).all()
        for question in waiting:
            assert question.next_wave_at is not None
            what = "gaat naar collega's" if question.status == "held" else "volgende ronde"
            self.say(
                f"Vraag {question.id}: {what} op {local_time(question.next_wave_at)} "
                "(de wachttijd telt alleen in werktijd)."
            )

    def _propose(
        self, session: Session, text: str, replaces: int | None = None, update_of: str | None = None
    ) -> None:
        member = session.get(Member, self.member_id)
        if member is None:
            raise DispatchError("Onbekende collega.")
        outcome = self.deps.registrations.propose(
            session,
            member=member,
            text=text,
            sent_at=self.deps.clock.now(),
            key=f"console:{self.member_id}:{self._lines}:{self.deps.clock.now().isoformat()}",
            channel=f"console:{self.member_id}",
            replaces=replaces,
            update_of=update_of,
        )
        if isinstance(outcome, Refusal):
            self.say(outcome.text_nl())

    def _registration(self, session: Session, name: str, args: list[str]) -> None:
        desk, now = self.deps.registrations, self.deps.clock.now()
        card = self.sender.last_card.get(self.member_id, "")
        if name == "/registreer":
            self._propose(session, " ".join(args))
        elif name == "/opslaan":
            desk.save(session, card, self.member_id, now)
        elif name == "/annuleren":
            state = self.sender.last_card_state.get(self.member_id)
            if state in ("undone", "cancelled"):
                self.say(
                    "Die registratie is al ongedaan gemaakt: er telt niets van mee."
                    if state == "undone"
                    else "Die registratie is al geannuleerd: er is niets opgeslagen."
                )
                return
            desk.cancel(session, card, self.member_id, now)
        elif name == "/ongedaan":
            desk.undo(session, card, self.member_id, now)
        elif name == "/aanpassen":
            pending = desk.card(session, card, self.member_id)
            self._propose(session, " ".join(args), pending.replaces)
        elif name == "/registraties":
            items = desk.today(session, self.member_id, now)
            enqueue(
                session,
                key=f"registrations:console:{self.member_id}:{self._lines}:{now.isoformat()}",
                message=RegistrationList(to=Address.member(self.member_id), items=tuple(items)),
                now=now,
            )
        elif name == "/uitnodigen":
            channel = {"e-mail": "email", "mail": "email"}.get(args[0].lower(), args[0].lower())
            try:
                policy = feedback_policy(self.deps.settings)
            except RuntimeError as error:
                raise DispatchError("De Ervaringwijzer staat nog niet aan.") from error
            outcome = desk.invite(
                session,
                card,
                self.member_id,
                channel=channel,
                contact=" ".join(args[1:]) or None,
                now=now,
                policy=policy,
            )
            self.say(outcome.message)
        elif name == "/corrigeer":
            event = desk.own_event(session, int(args[0]), self.member_id)
            self._propose(session, " ".join(args[1:]), replaces=event.id)

    def _search(self, session: Session, command: str, text: str) -> None:
        text = clean_text(text)
        if not text:
            raise DispatchError(f"Gebruik: {command} waar je naar zoekt")
        member = session.get(Member, self.member_id)
        query = self.deps.deidentifier.deidentify(text).text
        enqueue_search(
            session,
            self.deps.catalogue,
            key=f"search:console:{self.member_id}:{self._lines}:{self.deps.clock.now()}",
            channel=f"console:{self.member_id}",
            query=query,
            team=member.team if member else None,
            leefgebieden=[s for s, _ in self.deps.finder.suggest_leefgebieden(query)[:1]],
            social_map=command == "/sociale-kaart",
            now=self.deps.clock.now(),
        )

    def _list_invitations(self) -> None:
        with self.deps.sessions() as session:
            rows = session.exec(
                select(Invitation, Question)
                .join(Question)
                .where(
                    Invitation.member_id == self.member_id,
                    col(Invitation.state).in_(["pending", "accepted"]),
                )
            ).all()
        if not rows:
            self.say("Je hebt geen openstaande uitnodigingen.")
        for invitation, question in rows:
            self.say(
                f"  {invitation.id} [{invitation_state(invitation.state)}] {question.text[:120]}"
            )

    def _list_questions(self) -> None:
        with self.deps.sessions() as session:
            rows = session.exec(select(Question).where(Question.asker_id == self.member_id)).all()
        if not rows:
            self.say("Je hebt nog geen vragen gesteld.")
        for question in rows:
            self.say(f"  {question.id} [{question_status(question.status)}] {question.text[:120]}")

    def run(self, read: Callable[[str], str] = input) -> None:
        with self.deps.sessions() as session:
            me = session.get(Member, self.member_id)
        if me is None:
            raise DispatchError(f"Onbekende collega '{self.member_id}'.")
        self.say(f"Vraagbaak — je bent {me.display_name} ({me.team}). Typ /hulp voor hulp.")
        while True:
            try:
                line = read("> ")
            except (EOFError, KeyboardInterrupt):
                break
            if not self.handle(line):
                break
