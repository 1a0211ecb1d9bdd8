"""Slack action and callback ids, in one place so listeners and block builders cannot drift."""

from __future__ import annotations

ACCEPT = "invitation.accept"
DECLINE = "invitation.decline"
FORWARD = "invitation.forward"  # a users_select: "Ken iemand anders"
CLOSE = "question.close"
RATE = "question.rate"  # value "<question_id>:<1-5>"
