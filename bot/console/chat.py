"""The console chat: the same flows as in Slack, typed in a terminal.

One person at a time is "logged in" (/als switches), so a developer or a trainer can ask as a
generalist, switch to an invited expert, take the question and answer, and see the relay.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from rapidfuzz import fuzz, process, utils
from sqlmodel import Session, col, select

from bot.console.sender import ConsoleSender
from bot.console.voice import spraak
from bot.conversation import direct, figures, registration, search
from bot.conversation.profile import profile_command
from bot.conversation.reveal import reveal
from bot.messages import UNKNOWN_COLLEAGUE
from bot.refusals import REFUSALS, Unreadable, refusal_text
from bot.render.console_text import console_plain, invitation_state, local_time, question_status
from bot.wiring import Deps
from casework.registration import Refusal
from models.statuses import InvitationState, QuestionStatus
from models.tables import Invitation, Member, Question
from routing.anonymity import claim_forward
from routing.suggestions import record_click

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
  /vraag TEKST          TEKST is een vraag, ook als hij op een registratie lijkt
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
  /spraak BESTAND       een ingesproken vraag uit een geluidsbestand (daarna /spraak versturen)
  /wacht MINUTEN        laat de tijd verstrijken (toont de escalatie; rondes lopen in werktijd)
  /stop                 afsluiten"""


class ConsoleChat:
    def __init__(
        self,
        deps: Deps,
        member_id: str,
        out: TextIO,
        advance: Callable[[timedelta], None] | None = None,
        chart_dir: Path | None = None,
    ) -> None:
        self.deps = deps
        self.out = out
        self.member_id = member_id
        self._advance = advance
        self.sender = ConsoleSender(deps, out, chart_dir)
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
        except REFUSALS as error:
            self.say(refusal_text(error))
        except (ValueError, IndexError):
            self.say("Dat commando begrijp ik niet. Typ /hulp voor de mogelijkheden.")
        self.deps.tick()
        return True

    def _key(self) -> str:
        """Names the typed line: the same line is never handled twice."""
        return f"console:{self.member_id}:{self._lines}:{self.deps.clock.now().isoformat()}"

    def _me(self) -> Member | None:
        with self.deps.sessions() as session:
            return session.get(Member, self.member_id)

    def _typed(self, text: str, *, question_only: bool = False) -> direct.Typed:
        return direct.Typed(
            member=self._me(),
            text=text,
            key=self._key(),
            channel=f"console:{self.member_id}",
            reply_thread=f"{self._lines}",
            question_only=question_only,
        )

    def _show(self, outcome: direct.Outcome) -> None:
        if isinstance(outcome, direct.Told):
            self.say(outcome.text)
        elif isinstance(outcome, direct.Asked) and not outcome.duplicate:
            self.say(f"(vraag {outcome.question_id})")
        elif isinstance(outcome, direct.Answered):
            self.say(
                f"Verstuurd: je antwoord op uitnodiging {outcome.invitation_id} "
                f"(vraag {outcome.question_id}) gaat naar de vrager."
            )

    def _ask(self, text: str) -> None:
        self._show(direct.receive(self.deps, self._typed(text)))

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
            raise Unreadable(f"Ik ken geen collega '{query}'.")
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
                if not args[1:]:
                    raise Unreadable("Gebruik: /antwoord N je antwoord")
                typed = self._typed(" ".join(args[1:]))
                self._show(direct.answer(self.deps, typed, int(args[0])))
            elif name == "/vraag":
                self._show(direct.ask(self.deps, self._typed(" ".join(args), question_only=True)))
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
                    raise Unreadable("Gebruik: /wijzig N je aangepaste vraag")
                dispatcher.revise(session, int(args[0]), self.member_id, " ".join(args[1:]))
            elif name in ("/sociale-kaart", "/academie"):
                self._search(name, " ".join(args))
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
                self.say(profile_command(self.deps, self._me(), " ".join(args)))
            elif name == "/cijfers":
                self._figures(" ".join(args))
            elif name == "/onthul":
                self.say(reveal(self.deps, self._me(), " ".join(args), key=self._key()) or "")
            elif name in REGISTRATION_COMMANDS:
                self._registration(session, name, args)
            elif name == "/spraak":
                spraak(self, args)
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
            raise Unreadable(
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
                    col(Question.status).in_([QuestionStatus.OPEN, QuestionStatus.HELD]),
                )
            ).all()
        for question in waiting:
            assert question.next_wave_at is not None
            held = question.status == QuestionStatus.HELD
            what = "gaat naar collega's" if held else "volgende ronde"
            self.say(
                f"Vraag {question.id}: {what} op {local_time(question.next_wave_at)} "
                "(de wachttijd telt alleen in werktijd)."
            )

    def _propose(self, session: Session, text: str, replaces: int | None = None) -> None:
        member = self._me()
        if member is None:
            raise Unreadable(UNKNOWN_COLLEAGUE)
        outcome = registration.propose(
            self.deps,
            session,
            member,
            text,
            key=self._key(),
            channel=f"console:{self.member_id}",
            replaces=replaces,
        )
        if isinstance(outcome, Refusal):
            self.say(outcome.text_nl())

    def _figures(self, text: str) -> None:
        key, member = self._key(), self._me()
        if figures.is_setting(text):
            self.say(figures.set_moment(self.deps, member, text, here=None, key=key))
            return
        plan = figures.understand(self.deps, member, text)
        if isinstance(plan, str):
            self.say(plan)
            return
        self.say(plan.ack)
        figures.send_figures(self.deps, plan, to=f"console:{self.member_id}", key=key)

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
            member = self._me()
            if member is None:
                raise Unreadable(UNKNOWN_COLLEAGUE)
            registration.list_today(self.deps, session, member, key=self._key())
        elif name == "/uitnodigen":
            channel = {"e-mail": "email", "mail": "email"}.get(args[0].lower(), args[0].lower())
            policy = registration.feedback(self.deps)
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

    def _search(self, command: str, text: str) -> None:
        catalogue: search.Catalogue = "academie" if command == "/academie" else "sociale-kaart"
        plan = search.understand(self._me(), catalogue, text)
        if isinstance(plan, str):
            self.say(plan)
            return
        search.search(self.deps, plan, to=f"console:{self.member_id}", key=self._key())

    def _list_invitations(self) -> None:
        with self.deps.sessions() as session:
            rows = session.exec(
                select(Invitation, Question)
                .join(Question)
                .where(
                    Invitation.member_id == self.member_id,
                    col(Invitation.state).in_([InvitationState.PENDING, InvitationState.ACCEPTED]),
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
            raise Unreadable(f"Onbekende collega '{self.member_id}'.")
        try:
            self.say(f"Vraagbaak — je bent {me.display_name} ({me.team}). Typ /hulp voor hulp.")
            while self.handle(read("> ")):
                pass
        except (EOFError, KeyboardInterrupt):  # Ctrl-D or Ctrl-C, also while a line is handled
            self.out.write("\n")  # the prompt's line was never ended
        self.say("Tot ziens!")
