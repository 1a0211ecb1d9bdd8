"""`/onthul V reden`: a coordinator asks who asked anonymous question V of their own team.

The domain (routing/anonymity.py::reveal_asker) writes the AuditLog row, the private answer to
the coordinator and the message that tells the asker who looked and why, in one transaction
keyed by the command's trigger id: a command that Slack delivers twice reveals, logs and
tells once. A refusal (not a coordinator, no reason, a question that is unknown, not anonymous
or of another team) writes nothing and is the command's ack text. The console does the same,
keyed by the typed line.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from sqlalchemy.exc import IntegrityError

from bot.messages import UNKNOWN_COLLEAGUE
from bot.slack.members import member_of
from bot.wiring import Deps
from routing.anonymity import RevealRefused, reveal_asker

COMMAND = "/onthul"
HELP = (
    "Met /onthul zie je als coördinator wie een anonieme vraag van je team stelde. "
    "Schrijf het zo: /onthul 12 zorgen over de veiligheid van een kind. "
    "Je reden wordt vastgelegd en de vrager krijgt bericht dat je het opvroeg, met je reden."
)
LOOKING = "Ik zoek het op; je krijgt het antwoord privé van mij."


def parse(args: list[str]) -> tuple[int, str]:
    """(question id, reason) from "12 reden ..."; a leading "V" or "#" is allowed."""
    if not args or not args[0].lstrip("Vv#").isdigit():
        raise RevealRefused(HELP)
    return int(args[0].lstrip("Vv#")), " ".join(args[1:])


class _Slack:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def on_command(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        deps, words = self.deps, str(command.get("text") or "").split()
        if not words or words[0].lower() in ("help", "hulp", "?"):
            ack(text=HELP)
            return
        now = deps.clock.now()
        member = member_of(context)
        if member is None:
            ack(text=UNKNOWN_COLLEAGUE)
            return
        with deps.sessions() as session:
            try:
                question_id, reason = parse(words)
                revealed = reveal_asker(
                    session,
                    question_id,
                    member.id,
                    reason,
                    now,
                    cause=f"onthul:{command.get('trigger_id')}",
                    deidentifier=deps.deidentifier,
                )
                session.commit()
            except RevealRefused as refused:
                session.rollback()
                ack(text=refused.reason)  # nothing written: say so right here
                return
            except IntegrityError:
                ack()  # the same command, delivered twice at once: answered once
                return
        if revealed.already:
            ack()  # the same command, delivered twice: answered once
            return
        ack(text=LOOKING)
        deps.after_commit()


def register(app: App, deps: Deps) -> None:
    """Listen to /onthul."""
    app.command(COMMAND)(_Slack(deps).on_command)


def console_command(deps: Deps, member_id: str, args: list[str], *, key: str) -> str:
    """/onthul in the console chat: the same check, audit row and messages (they are printed
    when the outbox is delivered); `key` names the typed line that caused it."""
    with deps.sessions() as session:
        try:
            question_id, reason = parse(args)
            reveal_asker(
                session,
                question_id,
                member_id,
                reason,
                deps.clock.now(),
                cause=f"onthul:{key}",
                deidentifier=deps.deidentifier,
            )
            session.commit()
        except RevealRefused as refused:
            return refused.reason
    return LOOKING
