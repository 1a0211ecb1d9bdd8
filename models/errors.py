"""What the domain refuses, by code: one base for every refusal a person is told about.

Why codes and not sentences: the domain decides *that* a step cannot be taken and *why*; how
that is said belongs to the transport. bot/refusals.py holds the one Dutch wording of every
code, for Slack, the console and the CLI alike, so a wording is changed in one place and a
refusal can be tested by its code rather than by its text.

Invariants:
- every `Why` has exactly one wording in bot/refusals.py (that module refuses to import
  otherwise);
- `str(error)` is the code and never holds a parameter, so a refusal that reaches a log holds
  no client text; `params` hold what the wording needs (a number, a colleague's name, a team).
"""

from __future__ import annotations

from enum import StrEnum


class Why(StrEnum):
    """The reason of a refusal. The value is stable: tests and logs refer to it."""

    # a question and its invitations (routing/dispatch.py)
    QUESTION_UNKNOWN = "question.unknown"
    ONLY_ASKER_SENDS = "question.only_asker_sends"
    ONLY_ASKER_EDITS = "question.only_asker_edits"
    ONLY_ASKER_CHOOSES = "question.only_asker_chooses"
    ONLY_ASKER_CLOSES = "question.only_asker_closes"
    ALREADY_SENT = "question.already_sent"
    ALREADY_WITH_COLLEAGUES = "question.already_with_colleagues"
    CLOSED_BY_ASKER = "question.closed_by_asker"
    RATING_RANGE = "question.rating_range"
    INVITATION_UNKNOWN = "invitation.unknown"
    INVITATION_NOT_YOURS = "invitation.not_yours"
    TAKEN_BY = "invitation.taken_by"  # params: taker
    ALREADY_HANDLED = "invitation.already_handled"
    ALREADY_RESPONDED = "invitation.already_responded"
    NOT_ASSIGNED = "invitation.not_assigned"
    ONLY_INVITED_ANSWERS = "invitation.only_invited_answers"
    FORWARD_TOO_LATE = "forward.too_late"
    FORWARD_UNKNOWN_COLLEAGUE = "forward.unknown_colleague"
    FORWARD_SELF_OR_ASKER = "forward.self_or_asker"
    FORWARD_NOT_TO_THEM = "forward.not_to_them"
    FORWARD_NOT_PENDING = "forward.not_pending"
    ALREADY_INVITED = "forward.already_invited"  # params: name
    # intake (routing/intake.py, routing/anonymity.py)
    EMPTY_QUESTION = "intake.empty"
    QUESTION_TOO_LONG = "intake.too_long"  # params: length, maximum
    NO_QUESTION = "intake.no_question"
    ANONYMOUS_LIMIT = "intake.anonymous_limit"  # params: asked, per_day
    # revealing an anonymous asker (routing/anonymity.py)
    REVEAL_COORDINATORS_ONLY = "reveal.coordinators_only"
    REVEAL_NEEDS_REASON = "reveal.needs_reason"
    REVEAL_NOT_ALLOWED = "reveal.not_allowed"  # params: question_id
    REVEAL_GONE = "reveal.gone"
    # suggestions and learned profiles
    SUGGESTION_UNKNOWN = "suggestion.unknown"
    LEARNED_TOPIC_UNKNOWN = "learning.topic_unknown"
    # expertise profiles (routing/profiles.py; ProfileError maps a field to one of these)
    PROFILE_NOT_AN_EXPERT = "profile.not_an_expert"
    PROFILE_MISSING = "profile.missing"
    # weekly figures and digests (casework/digest.py, casework/digest_schedule.py)
    DIGEST_UNKNOWN_TEAM = "digest.unknown_team"  # params: team
    DIGEST_NO_CHANNEL = "digest.no_channel"  # params: team
    UNKNOWN_TIMEZONE = "digest.unknown_timezone"  # params: timezone
    NOT_A_DAY = "digest.not_a_day"  # params: text
    NOT_A_TIME = "digest.not_a_time"  # params: text
    NO_SUCH_WEEK = "digest.no_such_week"  # params: week, year
    UNKNOWN_PERIOD = "digest.unknown_period"  # params: text
    # registrations (casework/registration/desk.py, casework/events.py)
    UNKNOWN_COLLEAGUE = "member.unknown"
    CARD_UNKNOWN = "registration.card_unknown"
    CARD_NOT_YOURS = "registration.card_not_yours"
    FIX_NOT_OFFERED = "registration.fix_not_offered"
    CARD_UNREADABLE = "registration.card_unreadable"  # params: detail (Dutch, from the parser)
    REGISTRATION_REFUSED = "registration.refused"  # params: text (the parser's own wording)
    SAVE_CLOSURE_FIRST = "registration.save_closure_first"
    NO_FEEDBACK_FOR_KIND = "registration.no_feedback"
    ALREADY_SAVED = "registration.already_saved"
    NOTHING_TO_UNDO = "registration.nothing_to_undo"
    ONLY_OWN_EVENTS = "registration.only_own_events"
    EVENT_UNKNOWN = "event.unknown"
    RETRACT_WINDOW = "event.retract_window"  # params: minutes
    # erasure (models/erasure.py)
    ERASE_NEEDS_CASE = "erasure.needs_case"
    ERASE_UNKNOWN_MEMBER = "erasure.unknown_member"  # params: member
    ERASE_ALREADY_PSEUDONYM = "erasure.already_pseudonym"  # params: member


class DomainError(Exception):
    """A step the domain refuses; nothing was written for it (the caller rolls back).

    Subclasses name the area so a caller can catch only what it expects; the code says why.
    """

    def __init__(self, why: Why, **params: object) -> None:
        super().__init__(why.value)
        self.why = why
        self.params = params
