"""`/onthul V reden`: a coordinator asks who asked question V (e.g. an anonymous question).

The answer is private: a DM through the outbox (template "notice"), keyed by the command's
trigger id, in the transaction that writes the AuditLog row (routing/anonymity.py), so a
retried command reveals and logs once. A refusal (not a coordinator, no reason, unknown
question) writes nothing and is the command's ack text. The console gets the same as text.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.exc import IntegrityError

from bot.members import member_for_chat_user
from bot.wiring import Deps
from models.outbox import enqueue
from routing.anonymity import RevealRefused, reveal_asker

COMMAND = "/onthul"
HELP = (
    "Met /onthul zie je als coördinator wie een vraag stelde, ook als die anoniem was. "
    "Schrijf het zo: /onthul 12 zorgen over de veiligheid van een kind. "
    "Je reden wordt vastgelegd."
)
UNKNOWN_USER = (
    "Ik ken je nog niet als collega in Vraagbaak. Vraag je teamcoach om je toe te voegen."
)


def parse(args: list[str]) -> tuple[int, str]:
    """(question id, reason) from "12 reden ..."; a leading "V" or "#" is allowed."""
    if not args or not args[0].lstrip("Vv#").isdigit():
        raise RevealRefused(HELP)
    return int(args[0].lstrip("Vv#")), " ".join(args[1:])


def reveal_text(question_id: int, name: str) -> str:
    return f"Vraag {question_id} is gesteld door {name}. Dit is vastgelegd, met je reden."


class _Slack:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def on_command(self, ack: Ack, command: dict[str, Any]) -> None:
        deps, words = self.deps, str(command.get("text") or "").split()
        if not words or words[0].lower() in ("help", "hulp", "?"):
            ack(text=HELP)
            return
        user, now = str(command.get("user_id") or ""), deps.clock.now()
        with deps.sessions() as session:
            member = member_for_chat_user(session, user)
            if member is None:
                ack(text=UNKNOWN_USER)
                return
            try:
                question_id, reason = parse(words)
                name = reveal_asker(session, question_id, member.id, reason, now)
                payload = {"channel": user, "thread": None, "private_user": None}
                payload["text"] = reveal_text(question_id, name)
                enqueue(
                    session,
                    key=f"onthul:{command.get('trigger_id')}",
                    template="notice",
                    payload=payload,
                    now=now,
                )
                session.commit()
            except RevealRefused as refused:
                session.rollback()
                ack(text=refused.reason)  # nothing written: say so right here
                return
            except IntegrityError:
                ack()  # the same command, delivered twice: answered once
                return
        ack(text="Ik zoek het op; je krijgt het antwoord privé van mij.")
        deps.after_commit()


def register(app: App, deps: Deps) -> None:
    """Listen to /onthul."""
    app.command(COMMAND)(_Slack(deps).on_command)


def console_command(deps: Deps, member_id: str, args: list[str]) -> str:
    """/onthul in the console chat: the same check and audit row, answered as text."""
    with deps.sessions() as session:
        try:
            question_id, reason = parse(args)
            name = reveal_asker(session, question_id, member_id, reason, deps.clock.now())
            session.commit()
        except RevealRefused as refused:
            return refused.reason
    return reveal_text(question_id, name)
