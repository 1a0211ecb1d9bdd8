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
REG_FORM = "registration.form"  # the modal of /registreer without text
REG_CONTACT = "registration.contact"  # the modal asking the client's e-mail or phone
REG_SAVE = "registration.save"  # value: the card's outbox key
REG_FIX = "registration.fix"  # a guessed field's select; value "<card key>|<field>|<value>"
REG_EDIT = "registration.edit"  # "Aanpassen" on the card, and the callback id of its modal
REG_CANCEL = "registration.cancel"
REG_UNDO = "registration.undo"
REG_EVENT_UNDO = "registration.event_undo"  # from the list of today's; value: event id
REG_CORRECT = "registration.correct"  # value: event id
REG_INVITE = "registration.invite"  # Ervaringwijzer channel; value "<card key>|<email|sms|link>"
QUESTION_SEND = "question.send"  # "Versturen" on the look before it leaves; value: question id
QUESTION_EDIT = "question.edit"  # "Aanpassen": opens QUESTION_EDIT_VIEW; value: question id
QUESTION_EDIT_VIEW = "question.edit_view"  # the modal's callback id
HOME_ASK = "home.ask"  # App Home button "Nieuwe vraag stellen"
HOME_ASK_MODAL = "home.ask_modal"  # its modal's callback id
PROFILE_EDIT = "profile.edit"  # "Profiel bewerken" (Home) and "Bewerken" (nudge)
PROFILE_FORGET_TOPIC = "profile.forget_topic"  # value: a learning.Topic key
PROFILE_MODAL = "profile.modal"  # the /expertise modal's callback id
PROFILE_CONFIRM = "profile.confirm"  # "Klopt nog" on the nudge
VOICE_SEND = "voice.send"  # "Versturen" on "Ik heb verstaan"; value: the card's outbox key
VOICE_EDIT = "voice.edit"  # "Aanpassen": opens VOICE_EDIT_VIEW; value: the card's outbox key
VOICE_CANCEL = "voice.cancel"  # "Annuleren"; value: the card's outbox key
VOICE_EDIT_VIEW = "voice.edit_view"  # the modal's callback id
