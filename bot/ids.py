"""Slack action and callback ids, in one place so listeners and block builders cannot drift."""

from __future__ import annotations

ACCEPT = "invitation.accept"
DECLINE = "invitation.decline"
FORWARD = "invitation.forward"  # a users_select: "Ken iemand anders"
CLOSE = "question.close"
RATE = "question.rate"  # value "<question_id>:<1-5>"
USEFUL = "suggestion.useful"  # value "<context>|<offer|module>|<item id>"
NOT_USEFUL = "suggestion.not_useful"
REUSE = "question.reuse"  # "Dit helpt, niet doorsturen"; value "<question_id>:<earlier_id>"
RELEASE = "question.release"  # "Toch doorsturen"; value "<question_id>"
REG_SAVE = "registration.save"  # value: the card's outbox key
REG_EDIT = "registration.edit"
REG_CANCEL = "registration.cancel"
REG_UNDO = "registration.undo"
REG_EVENT_UNDO = "registration.event_undo"  # from the list of today's; value: event id
REG_CORRECT = "registration.correct"  # value: event id
REG_INVITE = "registration.invite"  # Ervaringwijzer channel; value "<card key>|<email|sms|link>"
QUESTION_SEND = "question.send"  # "Versturen" on the look before it leaves; value: question id
QUESTION_EDIT = "question.edit"  # "Aanpassen": opens QUESTION_EDIT_VIEW; value: question id
QUESTION_EDIT_VIEW = "question.edit_view"  # the modal's callback id
