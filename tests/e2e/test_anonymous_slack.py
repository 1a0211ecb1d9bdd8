"""Anonymous asking, external experts, /onthul and forwarding through the signed Bolt app and
the fake Slack Web API."""

from __future__ import annotations

from sqlmodel import select

from bot import ids
from bot.refusals import wording
from models.errors import Why
from models.tables import AuditLog, Member, Outbox, Question
from tests.e2e.conftest import SlackHarness
from tests.helpers import ASKER, chat_id, invitations, make_coordinator, only_question
from tests.slack_requests import FORM, bolt_request, command_body

FORWARD_NOT_TO_THEM = wording(Why.FORWARD_NOT_TO_THEM)

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
        assert "anoniem" not in str(dm)  # the question was not asked anonymously
        assert "geen collega van de buurtteams past er goed genoeg bij" in str(dm)


COORDINATOR = "m027"  # Lunetten, the asker's team
OTHER_COORDINATOR = "m001"  # Kanaleneiland Noord


def _anonymous_question(slack: SlackHarness) -> int:
    slack.dm(ASKER, "anoniem: " + QUESTION)
    make_coordinator(slack.deps, COORDINATOR)
    make_coordinator(slack.deps, OTHER_COORDINATOR)
    with slack.deps.sessions() as session:
        return only_question(session).id or 0


def _audit(slack: SlackHarness) -> list[AuditLog]:
    with slack.deps.sessions() as session:
        return list(session.exec(select(AuditLog)).all())


def test_onthul_refused_for_a_colleague_and_answered_privately_for_a_coordinator(
    slack: SlackHarness,
) -> None:
    question_id = _anonymous_question(slack)
    refused = slack.command("m049", f"{question_id} zorgen over veiligheid", command="/onthul")
    assert "Alleen een coördinator" in refused.body
    no_reason = slack.command(COORDINATOR, f"{question_id}", command="/onthul")
    assert "waarom" in no_reason.body
    other_team = slack.command(
        OTHER_COORDINATOR, f"{question_id} zorgen over veiligheid kind", command="/onthul"
    )
    assert "anonieme vraag van je eigen team" in other_team.body
    assert _asker(slack).display_name not in other_team.body
    assert _audit(slack) == []
    slack.api.reset()
    ok = slack.command(COORDINATOR, f"{question_id} zorgen over veiligheid kind", command="/onthul")
    assert "privé" in ok.body and _asker(slack).display_name not in ok.body
    (dm,) = slack.posted(chat_id(COORDINATOR))
    assert _asker(slack).display_name in dm["text"]
    (row,) = _audit(slack)
    assert (row.actor_id, row.subject) == (COORDINATOR, f"question:{question_id}")


def test_onthul_delivered_twice_reveals_logs_and_tells_the_asker_once(
    slack: SlackHarness,
) -> None:
    question_id = _anonymous_question(slack)
    slack.api.reset()
    reason = "melding over mevrouw Jansen, bereikbaar op 06-12345678"
    body = command_body(
        "/onthul",
        f"{question_id} {reason}",
        user_id=chat_id(COORDINATOR),
        trigger_id="trigger-onthul-1",
    )
    first = slack.app.dispatch(bolt_request(body, FORM))
    second = slack.app.dispatch(bolt_request(body, FORM))  # Slack's retry of the same command
    assert first.status == second.status == 200 and "privé" in first.body
    (row,) = _audit(slack)
    assert "06-12345678" not in row.detail and "Jansen" not in row.detail
    assert "[telefoonnummer]" in row.detail
    (to_coordinator,) = slack.posted(chat_id(COORDINATOR))
    (to_asker,) = slack.posted(chat_id(ASKER))
    assert _asker(slack).display_name in to_coordinator["text"]
    told = to_asker["text"]
    assert f"vraag {question_id} anoniem" in told and "Eva Janssen" in told
    assert "[telefoonnummer]" in told and "06-12345678" not in told and "Jansen," not in told
    assert "06-12345678" not in slack.all_text()


def test_forwarding_an_anonymous_question_reveals_nothing_and_happens_once(
    slack: SlackHarness,
) -> None:
    asker = _asker(slack)
    slack.dm(ASKER, "anoniem: " + QUESTION)
    with slack.deps.sessions() as session:
        question = only_question(session)
        first, second, third = invitations(session, question.id)
    invited = {first.member_id, second.member_id, third.member_id, ASKER}
    colleague, *others = [m for m in ("m050", "m051", "m052", "m053") if m not in invited]

    def forward(to: str) -> str:
        slack.click(
            first.member_id,
            ids.FORWARD,
            block_id=f"invitation:{first.id}",
            selected_user=chat_id(to),
        )
        return str(slack.posted("D" + chat_id(first.member_id))[-1]["text"])

    to_asker, to_invited = forward(ASKER), forward(second.member_id)
    assert to_asker == to_invited == FORWARD_NOT_TO_THEM  # the asker looks like anyone else
    assert asker.display_name not in to_asker and "vrager" not in to_asker
    forward(colleague)
    for other in others:
        assert "al gereageerd" in forward(other)
    with slack.deps.sessions() as session:
        forwarded = [i for i in invitations(session, question.id) if i.forwarded_by]
    assert [i.member_id for i in forwarded] == [colleague]
    (dm,) = slack.posted(chat_id(colleague))
    assert "een collega" in dm["text"] and asker.display_name not in str(dm)
