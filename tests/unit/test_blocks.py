from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot import ids
from bot.render.rendering import slack
from bot.text import escape
from models.messages import Address, AnswerRelayed, InvitationMessage


def test_escape_neutralises_slack_control_sequences() -> None:
    assert escape("<!channel> & <@U1|x>") == "&lt;!channel&gt; &amp; &lt;@U1|x&gt;"


def test_invitation_blocks_are_valid_block_kit_with_all_three_choices() -> None:
    rendered = slack(
        InvitationMessage(
            to=Address.member("m1"),
            invitation_id=7,
            question_id=3,
            question_text="Hoe werkt <!here> WSNP?",
            asker_name="Sanne <b>",
            asker_team="Zuilen",
            leefgebieden=("geld",),
            wave=1,
            forwarded_by=None,
        )
    )
    text, blocks = rendered.text, rendered.blocks
    assert "&lt;!here&gt;" in text and "<!here>" not in text
    assert "Sanne &lt;b&gt;" in text
    for block in blocks:  # slack_sdk parses and re-serialises exactly what we built
        assert Block.parse(block).to_dict() == block  # type: ignore[union-attr]
    action_ids = [e["action_id"] for e in blocks[1]["elements"]]
    assert action_ids == [ids.ACCEPT, ids.DECLINE, ids.FORWARD]
    assert blocks[1]["block_id"] == "invitation:7"


def test_answer_relay_offers_grades_one_to_five() -> None:
    relay = AnswerRelayed(
        to=Address.conversation("D1", "1.1"), question_id=9, expert_name="Ali", text="Bel UWV."
    )
    blocks = slack(relay).blocks
    values = [e["value"] for e in blocks[-1]["elements"]]
    assert values[:5] == [f"9:{n}" for n in range(1, 6)]
