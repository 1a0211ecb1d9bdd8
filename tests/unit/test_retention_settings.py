"""The retention periods are settings (VRAAGBAAK_RETENTION_*), with the policy's defaults."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from models.retention import RetentionPolicy


def test_the_defaults_are_the_documented_periods() -> None:
    policy = Settings().retention_policy()
    assert policy == RetentionPolicy()
    days = [p.days for p in (policy.questions, policy.outbox_payloads, policy.feedback)]
    assert days + [policy.audit.days, policy.case_events.days] == [730, 30, 730, 1825, 2555]
    assert Settings().retention_time == "03:30"


def test_a_period_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VRAAGBAAK_RETENTION_AUDIT_DAYS", "7")
    monkeypatch.setenv("VRAAGBAAK_RETENTION_OUTBOX_PAYLOAD_DAYS", "1")
    policy = Settings().retention_policy()
    assert (policy.audit, policy.outbox_payloads) == (timedelta(days=7), timedelta(days=1))
    assert policy.questions == timedelta(days=730)


def test_a_period_of_zero_days_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VRAAGBAAK_RETENTION_QUESTIONS_DAYS", "0")
    with pytest.raises(ValidationError, match="retention_questions_days"):
        Settings()
