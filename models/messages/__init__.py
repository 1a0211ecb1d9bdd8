"""Every kind of message Vraagbaak sends, as a type: what the domain says, never how it looks.

The domain (routing/, casework/, bot/'s listeners) builds one of these frozen dataclasses and
hands it to `models.outbox.enqueue`; bot/render/rendering.py turns each type into Slack's text and
blocks and into the console's text. A message type is declared with its registered name,
`class Notice(Message, kind="notice")`; that name is what the outbox row's `template` column
holds, and the message's fields are its JSON `payload`.

Addressing is one typed value, `Address`: who receives it (`recipient`: a member's DM, a chat
conversation or thread, or a client's e-mail address or mobile number), optionally which
earlier message it answers in the thread of (`thread_of`) or replaces (`update_of`), and who
alone may see it in a shared conversation (`private_to`).

Invariants:
- the stored payload keeps the flat keys the outbox has always had (`to_member`, `channel`,
  `thread`, `to`, `thread_of`, `update_of`, `private_to`, `private_user`, then the fields), so
  rows written before these types existed still deliver, and the retention sweep and erasures
  (models/outbox_redaction.py, models/erasure.py) find what they look for;
- a name that is not registered, or a payload that does not fit its type, raises
  `UnreadableMessage`: nothing is ever sent with a guessed or empty text;
- a payload emptied by retention, an erasure or delivery (`{"verwijderd": …}`) raises
  `EmptiedMessage`; readers that show stored messages again treat that as "gone".
"""

from __future__ import annotations

from models.messages.addresses import (
    ADDRESS_KEYS,
    Address,
    ChatUser,
    Contact,
    Conversation,
    EmptiedMessage,
    MemberRef,
    UnreadableMessage,
)
from models.messages.casework import (
    Digest,
    FiguresDigest,
    RegistrationCard,
    RegistrationList,
    SurveyLink,
    SurveyMail,
    SurveyRemark,
    SurveySms,
    TeamDigest,
)
from models.messages.envelope import (
    EMPTIED_KEY,
    MESSAGE_TYPES,
    REDACT_AFTER_DELIVERY,
    Message,
    Priority,
    decode,
    encode,
    validated,
)
from models.messages.general import (
    Notice,
    VoiceTranscript,
)
from models.messages.parts import (
    DigestLine,
    DigestSection,
    EarlierAnswer,
    FieldFix,
    RegistrationItem,
    SuggestedModule,
    SuggestedOffer,
    TopLeefgebied,
    UrgentAdvice,
)
from models.messages.questions import (
    AnswerRated,
    AnswerRelayed,
    InvitationAccepted,
    InvitationClosed,
    InvitationMessage,
    InvitationReminder,
    ProfileNudge,
    QuestionClosed,
    QuestionNextWave,
    QuestionPreview,
    QuestionReceived,
    QuestionReleased,
    QuestionReused,
    QuestionTaken,
    QuestionUnanswered,
    RevealAnswer,
    RevealTold,
    Suggestions,
)

__all__ = [
    "ADDRESS_KEYS",
    "Address",
    "AnswerRated",
    "AnswerRelayed",
    "ChatUser",
    "Contact",
    "Conversation",
    "Digest",
    "DigestLine",
    "DigestSection",
    "EMPTIED_KEY",
    "EarlierAnswer",
    "EmptiedMessage",
    "FiguresDigest",
    "InvitationAccepted",
    "InvitationClosed",
    "InvitationMessage",
    "InvitationReminder",
    "MESSAGE_TYPES",
    "MemberRef",
    "Message",
    "FieldFix",
    "Notice",
    "Priority",
    "ProfileNudge",
    "QuestionClosed",
    "QuestionNextWave",
    "QuestionPreview",
    "QuestionReceived",
    "QuestionReleased",
    "QuestionReused",
    "QuestionTaken",
    "QuestionUnanswered",
    "REDACT_AFTER_DELIVERY",
    "RegistrationCard",
    "RegistrationItem",
    "RegistrationList",
    "RevealAnswer",
    "RevealTold",
    "SuggestedModule",
    "SuggestedOffer",
    "Suggestions",
    "SurveyLink",
    "SurveyMail",
    "SurveyRemark",
    "SurveySms",
    "TeamDigest",
    "TopLeefgebied",
    "UnreadableMessage",
    "UrgentAdvice",
    "VoiceTranscript",
    "decode",
    "encode",
    "validated",
]
