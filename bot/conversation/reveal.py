"""`/onthul V reden`: a coordinator asks who asked anonymous question V of their own team.

The domain (routing/anonymity.py::reveal_asker) writes the AuditLog row, the private answer to
the coordinator and the message that tells the asker who looked and why, in one transaction
keyed by the request: a command delivered twice reveals, logs and tells once. A refusal (not
a coordinator, no reason, a question that is unknown, not anonymous or of another team)
writes nothing and is the reply.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from bot.messages import UNKNOWN_COLLEAGUE
from bot.refusals import REFUSALS, Unreadable, refusal_text
from bot.wiring import Deps
from models.tables import Member
from routing.anonymity import reveal_asker

HELP = (
    "Met /onthul zie je als coördinator wie een anonieme vraag van je team stelde. "
    "Schrijf het zo: /onthul 12 zorgen over de veiligheid van een kind. "
    "Je reden wordt vastgelegd en de vrager krijgt bericht dat je het opvroeg, met je reden."
)
LOOKING = "Ik zoek het op; je krijgt het antwoord privé van mij."


def parse(words: list[str]) -> tuple[int, str]:
    """(question id, reason) from "12 reden ..."; a leading "V" or "#" is allowed."""
    if not words or not words[0].lstrip("Vv#").isdigit():
        raise Unreadable(HELP)
    return int(words[0].lstrip("Vv#")), " ".join(words[1:])


def reveal(deps: Deps, member: Member | None, text: str, *, key: str) -> str | None:
    """Reveal and say so; None when this request was answered before (say nothing again)."""
    words = text.split()
    if not words or words[0].lower() in ("help", "hulp", "?"):
        return HELP
    if member is None:
        return UNKNOWN_COLLEAGUE
    with deps.sessions() as session:
        try:
            question_id, reason = parse(words)
            revealed = reveal_asker(
                session,
                question_id,
                member.id,
                reason,
                deps.clock.now(),
                cause=f"onthul:{key}",
                deidentifier=deps.deidentifier,
            )
            session.commit()
        except REFUSALS as refused:
            session.rollback()
            return refusal_text(refused)
        except IntegrityError:
            return None  # the same request, delivered twice at once: answered once
    return None if revealed.already else LOOKING
