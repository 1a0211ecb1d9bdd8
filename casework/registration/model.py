"""What a quick registration turns into: a parsed case event, or a refusal to the sender.

Invariants: a `Parsed` always has a kind, a canonical team and a date (the team and the day
default to the sender's own team and the sending day, Europe/Amsterdam), holds a case number
but never a client's name, and only carries the fields that belong to its kind. `as_dict`
gives the canonical form of the evaluation README, so the eval, the confirmation card and the
future database row all read the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

KINDS: tuple[str, ...] = (
    "aanmelding",
    "kennismaking",
    "start_ondersteuning",
    "wachtlijst_in",
    "wachtlijst_uit",
    "wat_telt_meting",
    "hbh_aanvraag",
    "afsluiting",
)
REDENEN: tuple[str, ...] = (
    "doel_bereikt",
    "verwezen",
    "klant_gestopt",
    "verhuisd",
    "overleden",
    "overig",
)
CLOSURE_FLAGS: tuple[str, ...] = ("zelfstandig_verder", "volgens_plan", "ervaringwijzer")
FIELD_ORDER: tuple[str, ...] = (
    "kind",
    "case_ref",
    "team",
    "occurred_on",
    "melder",
    "reden",
    *CLOSURE_FLAGS,
    "rapportcijfer",
    "scores",
)
SCORE_RANGE = range(1, 16)
GRADE_RANGE = range(1, 11)


class RefusalCode(StrEnum):
    """Why a message was not registered; stable values for logs, metrics and tests."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    PERSONAL_DATA = "personal_data"
    QUESTION = "question"
    NOT_UNDERSTOOD = "not_understood"
    TWO_KINDS = "two_kinds"
    AMBIGUOUS_KIND = "ambiguous_kind"
    CONTRADICTION = "contradiction"
    MISSING_CASE_REF = "missing_case_ref"
    FUTURE_DATE = "future_date"
    INVALID_DATE = "invalid_date"
    VAGUE_DATE = "vague_date"
    UNKNOWN_TEAM = "unknown_team"
    MISSING_TEAM = "missing_team"
    AMBIGUOUS_TEAM = "ambiguous_team"
    MISSING_SCORES = "missing_scores"
    INCOMPLETE_SCORES = "incomplete_scores"
    SCORE_OUT_OF_RANGE = "score_out_of_range"
    GRADE_OUT_OF_RANGE = "grade_out_of_range"
    # Decided by the desk (casework/registration/desk.py), not the parser: who may register.
    OTHER_TEAM = "other_team"
    OTHER_TEAMS_CASE = "other_teams_case"


@dataclass(frozen=True)
class Refusal:
    """A message we will not register, with the Dutch text the sender sees."""

    code: RefusalCode
    reason_nl: str
    suggestion_nl: str

    def text_nl(self) -> str:
        """Reason and suggestion as one chat reply."""
        return f"{self.reason_nl} {self.suggestion_nl}"


@dataclass(frozen=True)
class Parsed:
    """One case event read from a message.

    `stated` names the fields the message itself gave; `team` and `occurred_on` are always
    filled, so the chat can tell "you said Zuilen" from "your own team, Zuilen". `guessed`
    names the fields read by a guess (an abbreviation in a slot, a synonym found by the
    embedder) that the sender should check; `notes` are Dutch lines for the card about what
    the message said but the event does not hold, each with the reason ("'melder huisarts'
    hoort bij een aanmelding: niet opgeslagen"). Neither takes part in equality: they
    describe the reading, not the event.
    """

    kind: str
    team: str
    occurred_on: date
    case_ref: str | None = None
    melder: str | None = None
    reden: str | None = None
    zelfstandig_verder: bool | None = None
    volgens_plan: bool | None = None
    ervaringwijzer: bool | None = None
    rapportcijfer: int | None = None
    scores: tuple[tuple[str, int], ...] = ()
    stated: frozenset[str] = field(default=frozenset(), compare=False)
    guessed: frozenset[str] = field(default=frozenset(), compare=False)
    notes: tuple[str, ...] = field(default=(), compare=False)

    def as_dict(self) -> dict[str, object]:
        """The canonical event: fields in README order, unknown fields left out."""
        values: dict[str, object] = {
            "kind": self.kind,
            "case_ref": self.case_ref,
            "team": self.team,
            "occurred_on": self.occurred_on.isoformat(),
            "melder": self.melder,
            "reden": self.reden,
            "zelfstandig_verder": self.zelfstandig_verder,
            "volgens_plan": self.volgens_plan,
            "ervaringwijzer": self.ervaringwijzer,
            "rapportcijfer": self.rapportcijfer,
            "scores": dict(self.scores) if self.scores else None,
        }
        return {name: values[name] for name in FIELD_ORDER if values[name] is not None}

    @property
    def missing(self) -> tuple[str, ...]:
        """Fields worth asking for before saving (the chat may offer a picker)."""
        return ("melder",) if self.kind == "aanmelding" and self.melder is None else ()
