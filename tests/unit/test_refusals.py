"""Every refusal of the domain has one Dutch wording, and a refusal never carries client text
into a log line (its str() is the code)."""

from __future__ import annotations

import string

import pytest

from bot.refusals import WORDINGS, Unreadable, refusal_text, wording
from models.errors import DomainError, Why
from routing.dispatch import DispatchError


@pytest.mark.parametrize("why", list(Why))
def test_every_code_has_a_dutch_sentence_that_takes_its_parameters(why: Why) -> None:
    template = WORDINGS[why]
    names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
    text = wording(why, **dict.fromkeys(names, "X"))
    assert text.strip() and "{" not in text and "}" not in text


def test_a_refusal_is_worded_by_its_code_and_logs_only_the_code() -> None:
    refused = DispatchError(Why.TAKEN_BY, taker="Fatima El Amrani")
    assert isinstance(refused, DomainError)
    assert str(refused) == "invitation.taken_by"  # what a log line or traceback would show
    assert refusal_text(refused) == "Deze vraag is al opgepakt door Fatima El Amrani."
    typed = Unreadable("Gebruik: /antwoord N je antwoord")
    assert refusal_text(typed) == "Gebruik: /antwoord N je antwoord"
    assert "antwoord" not in str(typed)
