"""Anonymous asking, external experts and /onthul through the signed Bolt app and fake Slack."""

from __future__ import annotations

from sqlmodel import select

from models.tables import AuditLog, Member, Outbox, Question
from tests.e2e.conftest import SlackHarness
from tests.helpers import ASKER, chat_id, invitations, only_question

QUESTION = "Wie weet hoe beschermingsbewind en budgetbeheer werken bij iemand met veel schulden?"
NONE_FITS = (
    "Mijn cliënt heeft een reclasseringstoezicht met enkelband en meldplicht, hoe werkt dat?"
)


def _asker(slack: SlackHarness) -> Member:
    with slack.deps.sessions() as session:
        asker = session.get(Member, ASKER)
        assert asker is not None
        return asker


def _delivered_ts(slack: SlackHarness, key: str) -> str:
    with slack.deps.sessions() as session:
        row = session.exec(select(Outbox).where(Outbox.key == key)).one()
    assert row.delivered_ts
    return row.delivered_ts


def test_an_anonymous_dm_hides_the_asker_and_the_answer_still_arrives(
    slack: SlackHarness,
) -> None:
    asker = _asker(slack)
    assert slack.dm(ASKER, "anoniem: " + QUESTION).status == 200
    with slack.deps.sessions() as session:
        question = only_question(session)
        invited = invitations(session, question.id)
    assert question.anonymous
    for invitation in invited:
        (dm,) = slack.posted(chat_id(invitation.member_id))
        assert "een collega" in dm["text"]
        text = str(dm)
        assert asker.display_name not in text and asker.team not in text
    first = invited[0]
    invite_ts = _delivered_ts(slack, f"invitation:{first.id}")
    slack.dm(first.member_id, "Vraag bij de kantonrechter bewind aan.", thread_ts=invite_ts)
    relay = slack.posted("D" + chat_id(ASKER))[-1]
    assert relay["thread_ts"] == question.reply_thread
    assert "kantonrechter" in relay["text"]


def test_the_slash_command_can_ask_anonymously(slack: SlackHarness) -> None:
    assert slack.command(ASKER, "anoniem " + QUESTION).status == 200
    with slack.deps.sessions() as session:
        assert only_question(session).anonymous


def test_the_fourth_anonymous_question_is_refused_in_dutch(slack: SlackHarness) -> None:
    for n in range(3):
        slack.dm(ASKER, f"anoniem: {QUESTION} ({n})")
    slack.dm(ASKER, "anoniem: " + QUESTION)
    assert "vandaag al 3 anonieme vragen" in slack.posted("D" + chat_id(ASKER))[-1]["text"]
    with slack.deps.sessions() as session:
        assert len(session.exec(select(Question)).all()) == 3


def test_an_external_invitation_dm_never_names_the_asker(slack: SlackHarness) -> None:
    asker = _asker(slack)
    slack.dm(ASKER, NONE_FITS)
    with slack.deps.sessions() as session:
        invited = invitations(session, only_question(session).id)
        externals = [
            i.member_id
            for i in invited
            if (m := session.get(Member, i.member_id)) and m.is_external
        ]
    assert externals
    for member_id in externals:
        (dm,) = slack.posted(chat_id(member_id))
        assert asker.display_name not in str(dm) and asker.team not in str(dm)


def test_onthul_refused_for_a_colleague_and_answered_privately_for_a_coordinator(
    slack: SlackHarness,
) -> None:
    slack.dm(ASKER, "anoniem: " + QUESTION)
    with slack.deps.sessions() as session:
        question_id = only_question(session).id
        coordinator = session.get(Member, "m001")
        assert coordinator is not None
        coordinator.is_coordinator = True
        session.add(coordinator)
        session.commit()
    refused = slack.command("m002", f"{question_id} zorgen over veiligheid", command="/onthul")
    assert "Alleen een coördinator" in refused.body
    no_reason = slack.command("m001", f"{question_id}", command="/onthul")
    assert "waarom" in no_reason.body
    with slack.deps.sessions() as session:
        assert session.exec(select(AuditLog)).all() == []
    slack.api.reset()
    ok = slack.command("m001", f"{question_id} zorgen over veiligheid kind", command="/onthul")
    assert "privé" in ok.body and _asker(slack).display_name not in ok.body
    (dm,) = slack.posted(chat_id("m001"))
    assert _asker(slack).display_name in dm["text"]
    with slack.deps.sessions() as session:
        (row,) = session.exec(select(AuditLog)).all()
    assert (row.actor_id, row.subject) == ("m001", f"question:{question_id}")
