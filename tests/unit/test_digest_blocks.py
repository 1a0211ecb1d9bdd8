"""The digest laid out for Slack (Block Kit, escaped mrkdwn) and for the console (plain)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import Block

from bot.render.rendering import console, slack
from models.messages import Address, Digest, FiguresDigest, TeamDigest, validated


def _digest(kind: type[Digest] = TeamDigest, **extra: Any) -> Digest:
    return validated(kind, _payload(**extra), to=Address.conversation("C0LUNETTEN"))


def _payload(**extra: Any) -> dict[str, Any]:
    line = {"key": "gestart", "label": "Gestart", "value": "12", "previous": "9"}
    hidden = {"key": "afgesloten", "label": "Afgesloten", "value": "<5", "previous": "7"}
    wat_telt = {"key": "wat_telt", "label": "Wat Telt ingezet", "value": "46,0%"}
    return {
        "team": "Lunetten",
        "period": "2026-W47",
        "period_title": "week 47 (16 t/m 22 november)",
        "granularity": "week",
        "previous_title": "week 46 (9 t/m 15 november)",
        "computed_at": "2026-11-23T08:30:00+01:00",
        "computed_at_text": "maandag 23 november 2026 om 08:30",
        "sections": [
            {
                "title": "Casussen",
                "lines": [
                    line | {"change": "+3", "city": "8,4"},
                    hidden | {"change": None, "city": "6,1"},
                ],
            },
            {
                "title": "Resultaat",
                "lines": [
                    wat_telt
                    | {"previous": "n<5", "change": None, "city": "47,2%", "note": "doel 50%"}
                ],
            },
        ],
        "top_leefgebieden": [
            {"name": "Financiën", "value": "14"},
            {"name": "Wonen", "value": "<5"},
        ],
        "protected": True,
    } | extra


def test_slack_digest_is_valid_block_kit_with_escaped_small_numbers() -> None:
    rendered = slack(_digest())
    text, blocks = rendered.text, rendered.blocks
    for block in blocks:
        assert Block.parse(block).to_dict() == block  # type: ignore[union-attr]
    assert blocks[0]["text"]["text"] == "Weekoverzicht Lunetten: week 47 (16 t/m 22 november)"
    assert "• Gestart: *12* (vorige week 9, +3 · gemiddeld team 8,4)" in text
    assert "• Afgesloten: *&lt;5* (vorige week 7 · gemiddeld team 6,1)" in text  # no change shown
    assert "<5" not in text  # Slack's control character travels escaped
    assert "doel 50%" in text and "Financiën (14), Wonen (&lt;5)" in text
    assert "Berekend op maandag 23 november 2026 om 08:30" in text


def test_console_text_is_plain_and_names_the_moment_of_computation() -> None:
    text = console(_digest(FiguresDigest))
    assert text.startswith("Cijfers Lunetten: week 47")
    assert "• Afgesloten: <5 (vorige week 7 · gemiddeld team 6,1)" in text
    assert "*" not in text and "&lt;" not in text
    assert "Cijfers kunnen later nog veranderen" in text
    assert "minder dan 5" in text


def test_the_chart_stays_out_of_the_text_and_is_uploaded() -> None:
    rendered = slack(_digest(chart_png="iVBORw0KGgo="))
    assert "iVBOR" not in rendered.text
    assert rendered.upload is not None and rendered.upload.png.startswith(b"\x89PNG")
    assert rendered.upload.title == "week 47 (16 t/m 22 november)"  # the period, by default
