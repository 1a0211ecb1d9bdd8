"""The Ervaringwijzer's background work: its settings as the domain takes them, and one round of
due invitations and reminders for the tick (the survey pages are in bot/web/survey.py)."""

from __future__ import annotations

from datetime import timedelta

from bot.settings import Settings
from casework.ervaringwijzer.invitations import DueReport, FeedbackPolicy, process_due
from models.clock import Clock
from models.db import SessionFactory


def feedback_policy(settings: Settings) -> FeedbackPolicy:
    """The Ervaringwijzer settings as the domain takes them; the hash key is required."""
    if settings.feedback_hash_key is None:
        raise RuntimeError(
            "VRAAGBAAK_FEEDBACK_HASH_KEY ontbreekt: zet een lange geheime waarde (en bewaar hem)"
        )
    return FeedbackPolicy(
        hash_key=settings.feedback_hash_key.get_secret_value().encode("utf-8"),
        base_url=settings.survey_base_url,
        delay=timedelta(hours=settings.feedback_delay_hours),
        reminder_after=timedelta(days=settings.feedback_reminder_days),
        quiet=timedelta(days=settings.feedback_quiet_days),
        token_ttl=timedelta(days=settings.feedback_token_days),
    )


def send_due_invitations(sessions: SessionFactory, clock: Clock, settings: Settings) -> DueReport:
    """One round of the Ervaringwijzer for the background tick: due invitations and reminders
    become outbox rows (the delivery worker sends them). Off without a hash key."""
    if settings.feedback_hash_key is None:
        return DueReport()
    with sessions() as session:
        report = process_due(session, now=clock.now(), policy=feedback_policy(settings))
        session.commit()
    return report
