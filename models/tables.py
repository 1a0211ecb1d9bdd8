"""The database tables. Invariants the rest of the code relies on:

- Question.source_key and Outbox.key are unique: a retried Slack event or a restarted job
  writes nothing twice.
- Invitation (question_id, member_id) is unique: nobody is invited twice to one question.
- Question.text is always the de-identified text; the original never reaches the database.
- Lists (tags, leefgebieden, languages, aliases, audience) are `tuple[str, ...]` in Python and
  ';'-joined text in the database (`TextList`), so SQLite and PostgreSQL behave alike; an item
  never holds ';' and empty items are dropped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import Column, DateTime, Dialect, Integer, LargeBinary, Text, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import AutoString, Field, SQLModel

from models.statuses import InboxStatus, InvitationState, OutboxStatus, QuestionStatus

E = TypeVar("E", bound=StrEnum)


class UTCDateTime(TypeDecorator[datetime]):
    """Moments stored as UTC on every backend and always read back timezone-aware.

    SQLite keeps no offset, so mixing Amsterdam and UTC values would compare wrongly there;
    converting at the boundary makes `next_wave_at <= now` mean the same on both stores.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("store only timezone-aware datetimes")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class TextList(TypeDecorator[tuple[str, ...]]):
    """A list of short words (slugs, tags) as one ';'-joined text column; the column type is
    unchanged (no migration). Writing a plain string fails instead of storing it letter by
    letter or unsplit."""

    impl = AutoString
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, str) or not all(isinstance(item, str) for item in value):
            raise TypeError("a list column takes a tuple of strings")
        if any(";" in item for item in value):
            raise ValueError("a list item cannot hold ';'")
        return ";".join(item for item in value if item)

    def process_result_value(self, value: Any, dialect: Dialect) -> tuple[str, ...] | None:
        return None if value is None else tuple(item for item in str(value).split(";") if item)


class StrEnumColumn(TypeDecorator[E], Generic[E]):
    """A status stored as its plain word (the column type is unchanged) and read back as the
    enum member; writing a word that is no member fails instead of storing a typo."""

    impl = AutoString
    cache_ok = True

    def __init__(self, enum: type[E]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)


def _status(enum: type[E]) -> Column[E]:
    return Column(StrEnumColumn(enum), nullable=False, index=True)


def _ts(nullable: bool = True, index: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    wijk: str = ""
    aliases: tuple[str, ...] = Field(default=(), sa_type=TextList)  # Ridi, OV Centrum…
    channel_id: str | None = None


class Member(SQLModel, table=True):
    id: str = Field(primary_key=True)  # our own id, e.g. "m017"
    display_name: str
    team: str = Field(index=True)  # canonical team name or "extern"
    role: str = ""
    chat_user_id: str | None = Field(default=None, unique=True, index=True)
    is_external: bool = False
    is_active: bool = True
    daily_cap: int = 5
    away_until: datetime | None = Field(default=None, sa_column=_ts())
    languages: tuple[str, ...] = Field(default=(), sa_type=TextList)  # slugs spoken with clients
    # May reveal who asked an anonymous question (routing/anonymity.py), with a reason.
    is_coordinator: bool = False
    # A stand-in created by an erasure (models/erasure.py): the erased colleague's questions,
    # answers and invitations point here instead. Never active, never in an import file, and
    # nothing links it back to whom it replaced.
    is_pseudonym: bool = False


class ExpertiseProfile(SQLModel, table=True):
    member_id: str = Field(primary_key=True, foreign_key="member.id")
    expertise: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    tags: tuple[str, ...] = Field(default=(), sa_type=TextList)
    leefgebieden: tuple[str, ...] = Field(default=(), sa_type=TextList)
    updated_at: datetime | None = Field(default=None, sa_column=_ts())
    confirmed_at: datetime | None = Field(default=None, sa_column=_ts())  # "klopt nog"
    last_nudged_at: datetime | None = Field(default=None, sa_column=_ts())


class EmbeddingCache(SQLModel, table=True):
    model_id: str = Field(primary_key=True)
    text_hash: str = Field(primary_key=True)
    dim: int
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Question(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    source_key: str = Field(unique=True, index=True)
    asker_id: str = Field(foreign_key="member.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))  # de-identified
    removed_kinds: str = ""  # e.g. "persoon=1;bsn=1": what was removed, never the values
    leefgebieden: tuple[str, ...] = Field(default=(), sa_type=TextList)
    # Kinds of acute danger (knowledge/urgency.py), decided once when the question was asked;
    # None for a question stored before they were kept (read from its text instead).
    urgent: tuple[str, ...] | None = Field(default=None, sa_type=TextList)
    reply_channel: str
    reply_thread: str
    status: QuestionStatus = Field(default=QuestionStatus.OPEN, sa_column=_status(QuestionStatus))
    wave: int = 0
    next_wave_at: datetime | None = Field(default=None, sa_column=_ts(index=True))
    taken_by: str | None = None
    reminder_at: datetime | None = Field(default=None, sa_column=_ts(index=True))
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    answered_at: datetime | None = Field(default=None, sa_column=_ts())
    closed_at: datetime | None = Field(default=None, sa_column=_ts())
    rating: int | None = None
    # The earlier question whose answer the asker reused instead of asking experts.
    reused_from: int | None = None
    # "anoniem:": experts see "een collega" instead of the asker's name and team.
    anonymous: bool = False
    # "extern:": experts from partner organisations may be invited from the first wave.
    include_external: bool = False
    # Asked in a channel others read: every reply to the asker is shown to the asker only.
    shared_channel: bool = False


class Invitation(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("question_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    member_id: str = Field(foreign_key="member.id", index=True)
    wave: int
    rank: int
    score: float
    state: InvitationState = Field(
        default=InvitationState.PENDING, sa_column=_status(InvitationState)
    )
    forwarded_by: str | None = None
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    responded_at: datetime | None = Field(default=None, sa_column=_ts())


class Answer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    source_key: str = Field(unique=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    member_id: str = Field(foreign_key="member.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=_ts(nullable=False))


class Outbox(SQLModel, table=True):
    """A message to deliver, written in the transaction of the change that caused it."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    channel_kind: str = "chat"  # chat | mail
    template: str
    payload: str = Field(sa_column=Column(Text, nullable=False))  # JSON
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_column=_status(OutboxStatus))
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=_ts(nullable=False, index=True))
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=_ts())
    last_error: str | None = None
    delivered_channel: str | None = Field(default=None, index=True)
    delivered_ts: str | None = Field(default=None, index=True)
    # set while a chat send may be in flight (bot/workers/delivery.py): a row found pending with
    # it set was perhaps delivered by a process that died, so Slack is asked before a resend
    send_started_at: datetime | None = Field(default=None, sa_column=_ts())
    # who receives it ("member:m1", "conversation:C1", a contact row its own key): each
    # recipient's rows go out in order, one at a time; `priority` (models/messages Priority)
    # decides among the recipients' first rows (bot/workers/delivery.py)
    recipient: str | None = Field(default=None, index=True)
    priority: int = Field(default=2, sa_column=Column(Integer, nullable=False, server_default="2"))


class Rating(SQLModel, table=True):
    """The asker's 1–5 grade of an answer, kept against the expert who gave it."""

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", unique=True)
    member_id: str = Field(foreign_key="member.id", index=True)
    score: int
    created_at: datetime = Field(sa_column=_ts(nullable=False))


# --- Social map and Buurtacademie (knowledge/catalogue.py) ------------------------------------


class SocialMapOffer(SQLModel, table=True):
    """An offer of the sociale kaart (flattened Open Referral HSDS). `content_hash` lets a
    re-import tell a changed offer from an unchanged one without comparing every field."""

    offer_id: str = Field(primary_key=True)
    organisation: str = ""
    name: str
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    wijk: str = Field(default="Stad", index=True)  # "Stad" = city-wide
    address: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    url: str = ""
    audience: tuple[str, ...] = Field(default=(), sa_type=TextList)
    cost: str = ""
    leefgebieden: tuple[str, ...] = Field(default=(), sa_type=TextList)
    source: str = "csv"  # csv | hsds
    content_hash: str = ""
    updated_at: datetime = Field(sa_column=_ts(nullable=False))


class AcademyModule(SQLModel, table=True):
    module_id: str = Field(primary_key=True)
    title: str
    format: str = ""
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    leefgebieden: tuple[str, ...] = Field(default=(), sa_type=TextList)
    url: str = ""
    content_hash: str = ""
    updated_at: datetime = Field(sa_column=_ts(nullable=False))


class SuggestionFeedback(SQLModel, table=True):
    """A "Nuttig" / "Niet nuttig" click on a shown offer, module or earlier answer.

    One verdict per person, context and item (a second click changes it); the de-identified
    query is kept so the clicks become evaluation cases for the search.
    """

    __table_args__ = (UniqueConstraint("context_key", "item_kind", "item_id", "member_id"),)
    id: int | None = Field(default=None, primary_key=True)
    context_key: str = Field(index=True)  # "question:12" or "search:<hash>"
    query_text: str = Field(sa_column=Column(Text, nullable=False))  # de-identified
    item_kind: str  # offer | module | answer
    item_id: str
    member_id: str = Field(foreign_key="member.id", index=True)
    useful: bool
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    updated_at: datetime = Field(sa_column=_ts(nullable=False))


# --- Case events (casework/events.py, casework/kpi/engine.py) -------------------------------------

from sqlalchemy import Index  # noqa: E402  (kept in this block so the sections stay separate)


class CaseEvent(SQLModel, table=True):
    """One registered step of a buurtteam case: the only source of the KPI figures.

    The figures are recomputed from these rows, never kept as counters, because registrations
    arrive late and out of order and the published numbers must follow corrections.
    idempotency_key is unique so a re-imported or re-sent event counts once; a retracted
    event stays (for the audit trail) but no figure counts it. The fields the KPI SQL filters
    or aggregates on are real columns; the Wat Telt scores live in `extra` as canonical JSON.
    """

    __tablename__ = "caseevent"
    __table_args__ = (
        Index("ix_caseevent_kind_occurred_at", "kind", "occurred_at"),
        Index("ix_caseevent_case_ref_kind", "case_ref", "kind", "occurred_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_ref: str
    team: str  # canonical team name (knowledge/teams.py)
    kind: str
    occurred_at: datetime = Field(sa_column=_ts(nullable=False))
    melder: str | None = None
    reden: str | None = None
    zelfstandig_verder: bool | None = None
    volgens_plan: bool | None = None
    ervaringwijzer: bool | None = None
    rapportcijfer: int | None = None
    extra: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON
    registered_by: str = "import"  # member id, or "import"
    registered_at: datetime = Field(sa_column=_ts(nullable=False))
    idempotency_key: str = Field(unique=True, index=True)
    retracted_at: datetime | None = Field(default=None, sa_column=_ts())


# --- Weekly team digests (casework/digest.py, bot/workers/scheduler.py) ---------------------

from sqlalchemy import Float, Table, Unicode  # noqa: E402  (kept in this block, as above)


class DigestRun(SQLModel, table=True):
    """One weekly digest of one team for one period, claimed before anything is sent.

    (team, period_key) is unique and is inserted with insert-or-nothing in the transaction that
    also writes the outbox row, so two schedulers, a restart or a catch-up after downtime can
    each try: exactly one wins and the digest is sent once.
    """

    __tablename__ = "digestrun"
    __table_args__ = (UniqueConstraint("team", "period_key"),)
    id: int | None = Field(default=None, primary_key=True)
    team: str
    period_key: str  # the period's label, e.g. "2026-W47"
    channel_id: str
    claimed_by: str  # host:pid:scheduler of the process that won the claim
    claimed_at: datetime = Field(sa_column=_ts(nullable=False))
    outbox_key: str | None = None  # the message; its status says whether it was delivered
    computed_at: datetime | None = Field(default=None, sa_column=_ts())


class DigestSchedule(SQLModel, table=True):
    """A team's own digest moment (set with `/cijfers instellen`); without a row the defaults
    from the settings apply. channel_id overrides Team.channel_id."""

    __tablename__ = "digestschedule"
    id: int | None = Field(default=None, primary_key=True)
    team: str = Field(unique=True, index=True)
    channel_id: str | None = None
    weekday: int = 0  # 0 = maandag … 6 = zondag
    time: str = "08:30"  # HH:MM local time in `timezone`
    timezone: str = "Europe/Amsterdam"
    updated_by: str = ""  # member id
    updated_at: datetime = Field(sa_column=_ts(nullable=False))


# APScheduler's persistent job store (bot/workers/scheduler.py) keeps its jobs here. Its shape
# is the one SQLAlchemyJobStore creates; declaring it lets the migrations create it and keeps the
# migration check (tests/integration/test_migrations.py) from seeing a stranger table.
APSCHEDULER_JOBS = Table(
    "apscheduler_jobs",
    SQLModel.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)


# --- Ervaringwijzer: client feedback after a closure (casework/ervaringwijzer/) -------------------


class FeedbackInvitation(SQLModel, table=True):
    """One invitation to the Ervaringwijzer, for one closed case (case_ref is unique).

    `contact` (an e-mail address or phone number) lives here only until the last message to it
    is written; `contact_hash` (HMAC-SHA256 under a key from the settings) stays, so the 90-day
    rule and opt-outs work without the address. Tokens are stored as SHA-256 only: the link
    itself exists only in the message that carries it.
    """

    __tablename__ = "feedbackinvitation"
    id: int | None = Field(default=None, primary_key=True)
    case_ref: str = Field(unique=True, index=True)
    team: str = Field(index=True)
    channel: str  # email | sms | link
    requested_by: str | None = None  # member id of the generalist (a link is shown to them)
    contact: str | None = None  # normalised address or +31… number; erased after the last send
    contact_hash: str | None = Field(default=None, index=True)
    closed_at: datetime = Field(sa_column=_ts(nullable=False))
    send_at: datetime = Field(sa_column=_ts(nullable=False, index=True))
    sent_at: datetime | None = Field(default=None, sa_column=_ts(index=True))
    token_hash: str | None = Field(default=None, unique=True)
    reminder_token_hash: str | None = Field(default=None, unique=True)
    expires_at: datetime | None = Field(default=None, sa_column=_ts())
    reminder_at: datetime | None = Field(default=None, sa_column=_ts(index=True))
    reminded_at: datetime | None = Field(default=None, sa_column=_ts())
    responded_at: datetime | None = Field(default=None, sa_column=_ts())
    opted_out_at: datetime | None = Field(default=None, sa_column=_ts())
    cancelled_at: datetime | None = Field(default=None, sa_column=_ts())
    cancel_reason: str | None = None
    contact_erased_at: datetime | None = Field(default=None, sa_column=_ts())
    created_at: datetime = Field(sa_column=_ts(nullable=False))


class FeedbackResponse(SQLModel, table=True):
    """The filled-in survey; `remarks` is de-identified before it is stored."""

    __tablename__ = "feedbackresponse"
    id: int | None = Field(default=None, primary_key=True)
    invitation_id: int = Field(foreign_key="feedbackinvitation.id", unique=True)
    answers: str = Field(sa_column=Column(Text, nullable=False))  # JSON: question -> answer
    grade: int | None = None  # rapportcijfer 1–10
    remarks: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    received_at: datetime = Field(sa_column=_ts(nullable=False, index=True))


class OptOut(SQLModel, table=True):
    """A contact that asked never to be invited again, known only by its keyed hash."""

    __tablename__ = "optout"
    id: int | None = Field(default=None, primary_key=True)
    contact_hash: str = Field(unique=True, index=True)
    created_at: datetime = Field(sa_column=_ts(nullable=False))


# --- Living expertise: evidence from well-rated answers (routing/learning.py) ----------------


class ExpertiseEvidence(SQLModel, table=True):
    """One well-rated answer as evidence of what an expert knows now.

    `text` is the question's de-identified text; the weight is 1.0 at `weight_at` (the rating)
    and halves every half-life from there. (member_id, question_id) is unique and a removed
    row stays with `removed_at` set, so evidence the expert removed is never learned again.
    """

    __tablename__ = "expertiseevidence"
    __table_args__ = (UniqueConstraint("member_id", "question_id"),)
    id: int | None = Field(default=None, primary_key=True)
    member_id: str = Field(foreign_key="member.id", index=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))  # de-identified
    leefgebieden: tuple[str, ...] = Field(default=(), sa_type=TextList)
    score: int  # the asker's grade that made this evidence
    weight_at: datetime = Field(sa_column=_ts(nullable=False))
    created_at: datetime = Field(sa_column=_ts(nullable=False))
    removed_at: datetime | None = Field(default=None, sa_column=_ts())


# --- Audit trail: who looked behind anonymity, and why (routing/audit.py) ---------------------


class AuditLog(SQLModel, table=True):
    """An append-only record of a sensitive action: a reveal, an erasure, a role change, an
    export, a retention sweep (models/audit.py lists the actions).

    Rows are only ever inserted; the only delete is the retention sweep (models/retention.py)
    after the audit period. `actor_id` is a member id, or "cli:<os user>" / "systeem" for the
    command line and the daily job: no foreign key, because the log must outlive and name
    actors that are not colleagues. `detail` never holds client text (models/audit.py).
    """

    __tablename__ = "auditlog"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_ts(nullable=False, index=True))
    actor_id: str = Field(index=True)
    action: str  # e.g. "reveal_asker"
    subject: str = Field(index=True)  # e.g. "question:12"
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


# --- Retention (models/retention.py, bot/workers/scheduler.py) ------------------------------


class RetentionRun(SQLModel, table=True):
    """One daily retention sweep, claimed before it runs.

    run_key (the Amsterdam date the sweep was due) is unique and inserted with
    insert-or-nothing in the transaction that deletes, so with several instances, a restart or
    a catch-up exactly one sweep runs per day. `counts` is JSON: rows per table, never content.
    """

    __tablename__ = "retentionrun"
    id: int | None = Field(default=None, primary_key=True)
    run_key: str = Field(unique=True, index=True)  # e.g. "2026-11-24"
    claimed_by: str
    claimed_at: datetime = Field(sa_column=_ts(nullable=False))
    counts: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class InboxRequest(SQLModel, table=True):
    """A request Slack sent (event, click, command, modal), stored before it is acknowledged
    so that a crash or a deploy after the acknowledgement loses nothing (models/inbox.py).

    `key` is Slack's event id or a hash of the body: a retried delivery is stored once. `body`
    is client data: it is emptied once the request is handled or given up; the row keeps only
    its identity, kind, status and times. A row is worked by whoever holds an unexpired claim
    (`claimed_until`); a claim left by a crashed process runs out and the row is taken again.
    """

    __tablename__ = "inbox"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    kind: str  # event | action | command | view
    content_type: str = ""
    body: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    status: InboxStatus = Field(default=InboxStatus.PENDING, sa_column=_status(InboxStatus))
    attempts: int = 0
    claimed_by: str | None = None
    claimed_until: datetime | None = Field(default=None, sa_column=_ts())
    received_at: datetime = Field(sa_column=_ts(nullable=False))
    done_at: datetime | None = Field(default=None, sa_column=_ts())
    last_error: str | None = None


import models.kpi_tables  # noqa: E402, F401  (the KPI case facts, registered with the rest)


class DirectoryVersion(SQLModel, table=True):
    """Change counters the expert directory cache checks before every question
    (routing/directory.py): "directory" counts changes to members, profiles and evidence,
    "loads" changes to invitations. Database triggers (migration 0015) bump them in the
    transaction of every change, whoever writes it, so each instance rebuilds only what changed.
    """

    __tablename__ = "directoryversion"
    name: str = Field(primary_key=True)
    version: int = 0
