"""The message contract: every message type has an example here, survives the outbox (encode
and decode), and renders on both transports; rows of older releases still read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

import pytest
from slack_sdk.models.blocks import Block

from bot.render.rendering import RENDERINGS, console, slack
from models.messages import (
    MESSAGE_TYPES,
    Address,
    AnswerRated,
    AnswerRelayed,
    ChatUser,
    DigestLine,
    DigestSection,
    EarlierAnswer,
    EmptiedMessage,
    FiguresDigest,
    InvitationAccepted,
    InvitationClosed,
    InvitationMessage,
    InvitationReminder,
    MemberRef,
    Message,
    Notice,
    ProfileNudge,
    QuestionClosed,
    QuestionNextWave,
    QuestionPreview,
    QuestionReceived,
    QuestionReleased,
    QuestionReused,
    QuestionTaken,
    QuestionUnanswered,
    RegistrationCard,
    RegistrationItem,
    RegistrationList,
    RevealAnswer,
    RevealTold,
    SuggestedModule,
    SuggestedOffer,
    Suggestions,
    SurveyLink,
    SurveyMail,
    SurveyRemark,
    SurveySms,
    TeamDigest,
    TopLeefgebied,
    UnreadableMessage,
    UrgentAdvice,
    VoiceTranscript,
    decode,
    encode,
    validated,
)

ASKER = Address.conversation("C1", "1.1", private_to=MemberRef("m1"))
EXPERT = Address.member("m2", update_of="invitation:7")
SECTIONS = (
    DigestSection(
        "Casussen",
        (DigestLine("gestart", "Gestart", "12", "9", "8,4", "+3"),),
    ),
)
DIGEST = {
    "team": "Lunetten",
    "period": "2026-W47",
    "period_title": "week 47",
    "granularity": "week",
    "previous_title": "week 46",
    "computed_at": "2026-11-23T08:30:00+01:00",
    "computed_at_text": "maandag 23 november 2026 om 08:30",
    "sections": SECTIONS,
    "top_leefgebieden": (TopLeefgebied("Wonen", "<5"),),
}
EXAMPLES: list[Message] = [
    QuestionPreview(
        to=ASKER,
        question_id=3,
        redacted_text="Mevrouw [persoon] <!here>",
        removed={"persoon": 1},
        doubtful=("Vos",),
        urgent=(UrgentAdvice("Mogelijk suïcidegevaar", "Bel 113"),),
    ),
    QuestionReceived(
        to=ASKER,
        question_id=3,
        redacted_text="x",
        earlier=(EarlierAnswer(1, "eerder", "antwoord", "Ali", date(2026, 1, 2), 5),),
        hold_minutes=10,
    ),
    QuestionReceived(to=ASKER, question_id=4, redacted_text="x", invited=("Ali", "Bo")),
    QuestionReleased(to=ASKER, invited=("Ali",)),
    QuestionReused(to=ASKER),
    QuestionTaken(to=ASKER, expert_name="Ali"),
    QuestionNextWave(to=ASKER, wave=2, invited=("Bo",)),
    QuestionUnanswered(to=ASKER, question_id=3, reason="no_response", waves=3),
    AnswerRelayed(to=ASKER, question_id=3, expert_name="Ali", text="Bel <@U1>"),
    QuestionClosed(to=ASKER, rated=4),
    Suggestions(
        to=ASKER,
        query="taalcafé",
        context="question:3:suggestions",
        area="Zuilen",
        offers=(SuggestedOffer("o1", "Taalcafé", "Bieb", "Stad", url="https://x.nl"),),
        modules=(SuggestedModule("b1", "LVB herkennen", "e-learning"),),
        verdicts={"offer:o1": True},
    ),
    InvitationMessage(
        to=Address.member("m2"),
        invitation_id=7,
        question_id=3,
        question_text="x",
        asker_name="Sanne",
        asker_team="Zuilen",
        urgent=("Mogelijk suïcidegevaar",),
    ),
    InvitationAccepted(to=EXPERT, invitation_id=7, question_text="x"),
    InvitationClosed(to=EXPERT, state="forwarded", colleague="Bo"),
    InvitationReminder(to=Address.member("m2", thread_of="invitation:7"), question_text="x"),
    AnswerRated(to=Address.member("m2"), score=5, question_text="x"),
    ProfileNudge(to=Address.member("m2"), last_confirmed=date(2025, 9, 1), tags=("wmo",)),
    RevealAnswer(to=Address.member("m9"), question_id=3, asker_name="Sanne"),
    RevealTold(to=Address.member("m1"), question_id=3, coordinator_name="Co", reason="zorg"),
    RegistrationCard(
        to=Address.conversation("D1", update_of="registration:k"),
        card_key="registration:k",
        member_id="m1",
        event={"case_ref": "4711", "kind": "afsluiting"},
        lines=("Casus: 4711",),
        state="saved",
        event_id=12,
        invite=True,
    ),
    RegistrationList(
        to=Address.member("m1"), items=(RegistrationItem(12, "4711 · afgesloten", "casus", True),)
    ),
    validated(TeamDigest, DIGEST, to=Address.conversation("C0LUNETTEN")),
    validated(FiguresDigest, DIGEST, to=Address.conversation("U1")),
    SurveyLink(
        to=Address.member("m1"),
        case_ref="4711",
        url="https://vraagbaak.test/e/t",
        expires_on=date(2026, 12, 25),
        chart_png="iVBORw0KGgo=",
    ),
    SurveyRemark(to=Address.conversation("C0LUNETTEN"), team="Lunetten", remark="Fijn", grade=8),
    SurveyMail(to=Address.contact("a@example.org"), subject="s", text="t", list_unsubscribe="u"),
    SurveySms(to=Address.contact("+31612345678"), text="t"),
    Notice(to=Address.conversation("C1", "1.1", private_to=ChatUser("U1")), text="Let op <!here>"),
    VoiceTranscript(
        to=Address.conversation("D1", "1.1"),
        card_key="voice:D1:1.1",
        member_id="m1",
        transcript="Wie weet raad bij <!channel> schulden?",
        duration_seconds=4.2,
        repaired=True,
    ),
]


def _id(message: Message) -> str:
    return message.kind


def test_every_message_type_has_an_example() -> None:
    assert {type(m) for m in EXAMPLES} == set(MESSAGE_TYPES.values())


def test_every_chat_message_type_has_both_renderings() -> None:
    chat = {t for t in MESSAGE_TYPES.values() if t.channel_kind == "chat"}
    assert set(RENDERINGS) == chat


@pytest.mark.parametrize("message", EXAMPLES, ids=_id)
def test_a_message_survives_the_outbox(message: Message) -> None:
    stored = json.loads(json.dumps(encode(message)))
    assert decode(message.kind, stored) == message


@pytest.mark.parametrize("message", [m for m in EXAMPLES if m.channel_kind == "chat"], ids=_id)
def test_a_chat_message_renders_on_slack_and_in_the_console(message: Message) -> None:
    rendered = slack(message)
    assert rendered.text and rendered.blocks
    assert "<!here>" not in rendered.text and "<@U1>" not in rendered.text
    for block in rendered.blocks:  # slack_sdk parses and re-serialises exactly what we built
        assert Block.parse(block).to_dict() == block  # type: ignore[union-attr]
    assert console(message).strip()


def test_the_address_keeps_the_outbox_keys_erasure_and_retention_look_for() -> None:
    assert Address.member("m1", thread_of="k").as_payload() == {"to_member": "m1", "thread_of": "k"}
    assert ASKER.as_payload() == {"channel": "C1", "thread": "1.1", "private_to": "m1"}
    notice = Address.conversation("C1", private_to=ChatUser("U1"))
    assert notice.as_payload() == {"channel": "C1", "private_user": "U1"}
    assert Address.contact("a@example.org").as_payload() == {"to": "a@example.org"}


def test_a_row_of_an_older_release_still_reads() -> None:
    legacy = {
        "anonymous": False,
        "asker_name": "Sanne",
        "asker_team": "Zuilen",
        "forwarded_by": None,
        "invitation_id": 7,
        "leefgebieden": ["geld"],
        "question_id": 3,
        "question_text": "x",
        "to_member": "m2",
        "urgent": [],
        "wave": 1,
    }
    message = decode("invitation", legacy)
    assert isinstance(message, InvitationMessage)
    assert message.to == Address.member("m2") and message.leefgebieden == ("geld",)
    notice = decode("notice", {"channel": "C1", "thread": None, "private_user": None, "text": "t"})
    assert notice == Notice(to=Address.conversation("C1"), text="t")


def test_an_unknown_name_or_a_payload_that_does_not_fit_is_unreadable() -> None:
    with pytest.raises(UnreadableMessage, match="unknown message type 'answer.rate'"):
        decode("answer.rate", {"to_member": "m1", "score": 5})
    with pytest.raises(UnreadableMessage, match="score"):
        decode("answer.rated", {"to_member": "m1"})
    with pytest.raises(UnreadableMessage, match="recipient"):
        decode("notice", {"text": "t"})
    with pytest.raises(EmptiedMessage):
        decode("notice", {"verwijderd": "bewaartermijn"})


def test_a_field_named_like_an_address_key_is_refused() -> None:
    @dataclass(frozen=True, kw_only=True)
    class Clashing(Message):
        kind: ClassVar[str] = "test.clashing"
        channel: str

    with pytest.raises(TypeError, match="address keys"):
        encode(Clashing(to=Address.member("m1"), channel="C1"))


def test_fields_to_forget_after_delivery_are_listed_in_the_payload() -> None:
    link = next(m for m in EXAMPLES if isinstance(m, SurveyLink))
    assert encode(link)["redact_after_delivery"] == ["url", "chart_png"]


def test_an_urgent_question_nobody_answered_repeats_the_crisis_numbers_first() -> None:
    advice = UrgentAdvice(label="Mogelijk suïcidegevaar", advice="Bel 113 (0800-0113).")
    nobody = QuestionUnanswered(
        to=ASKER, question_id=3, reason="no_response", waves=3, urgent=(advice,)
    )
    text = console(nobody)
    assert text.index("113") < text.index("niemand heeft je vraag")
    plain = console(QuestionUnanswered(to=ASKER, question_id=3, reason="no_response", waves=3))
    assert "113" not in plain


def test_an_offer_says_where_it_is_and_the_heading_where_was_searched() -> None:
    found = Suggestions(
        to=ASKER,
        query="maatje",
        context="search:1",
        area="Zuilen",
        offers=(
            SuggestedOffer(
                "o7", "Maatjesproject", "Dock", "Vleuten", address="Dorpsstraat 4, 3451 BE"
            ),
        ),
    )
    text = console(found)
    assert "gezocht rond Zuilen" in text and "(bij Zuilen)" not in text
    assert "Vleuten · Dorpsstraat 4, 3451 BE" in text
    assert "Dorpsstraat 4, 3451 BE" in str(slack(found).blocks)
