"""The digest chart: a valid, phone-sized, small PNG that never shows a small count exactly."""

from __future__ import annotations

import base64
import io

from PIL import Image

from casework.chart import Series, trend_chart

WEEKS = [str(n) for n in range(40, 48)]


def _chart(gestart_week_42: float) -> bytes:
    return trend_chart(
        "Lunetten: laatste 8 weken",
        WEEKS,
        [
            Series("Gestart", [8, 12, gestart_week_42, 9, 14, 11, None, 7], [9.1] * 8),
            Series("Afgesloten", [6, 4, 9, 10, 2, 8, 11, 4], [7.0, 8.1, 7.7, 9.2, 8.8, 7, 8, 8]),
            Series("Lopend", [410, 415, 420, 418, 425, 430, 428, 431], [440] * 8),
        ],
        team_name="Lunetten",
    )


def test_the_chart_is_a_portrait_png_for_a_phone_and_fits_the_outbox() -> None:
    png = _chart(3)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (1080, 1440)
        colours = image.convert("RGB").getcolors(maxcolors=256)
    assert colours is not None and len(colours) > 3  # lines, band and text, not a blank page
    assert len(base64.b64encode(png)) < 150_000


def test_the_same_figures_give_the_same_bytes() -> None:
    assert _chart(3) == _chart(3)


def test_counts_below_five_are_drawn_alike_whatever_they_are() -> None:
    # 1 and 4 both sit in the grey "<5" band: the picture does not tell them apart
    assert _chart(1) == _chart(4)
    assert _chart(4) != _chart(6)
