from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot import ids
from bot.blocks import render
from bot.text import escape


def test_escape_neutralises_slack_control_sequences() -> None:
    assert escape("<!channel> & <@U1|x>") == "&lt;!channel&gt; &amp; &lt;@U1|x&gt;"


def test_invitation_blocks_are_valid_block_kit_with_all_three_choices() -> None:
    text, blocks = render(
        "invitation",
        {
            "invitation_id": 7,
            "question_id": 3,
            "question_text": "Hoe werkt <!here> WSNP?",
            "asker_name": "Sanne <b>",
            "asker_team": "Zuilen",
            "leefgebieden": ["geld"],
            "wave": 1,
            "forwarded_by": None,
            "to_member": "m1",
        },
    )
    assert "&lt;!here&gt;" in text and "<!here>" not in text
    assert "Sanne &lt;b&gt;" in text
    for block in blocks:  # slack_sdk parses and re-serialises exactly what we built
        assert Block.parse(block).to_dict() == block  # type: ignore[union-attr]
    action_ids = [e["action_id"] for e in blocks[1]["elements"]]
    assert action_ids == [ids.ACCEPT, ids.DECLINE, ids.FORWARD]
    assert blocks[1]["block_id"] == "invitation:7"


def test_answer_relay_offers_grades_one_to_five() -> None:
    _, blocks = render(
        "answer.relay",
        {
            "question_id": 9,
            "expert_name": "Ali",
            "text": "Bel UWV.",
            "channel": "D1",
            "thread": "1.1",
        },
    )
    values = [e["value"] for e in blocks[-1]["elements"]]
    assert values[:5] == [f"9:{n}" for n in range(1, 6)]
