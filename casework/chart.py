"""The digest chart: a team's trend of a few key counts against the average team in Utrecht.

Made for a phone: portrait 1080 px wide, one panel per figure stacked, big type, the newest
value written next to the line. Colours are from the Okabe-Ito palette (safe for colour
blindness) and the two lines also differ in style and marker, so the chart still reads in
grey. Small-number protection holds in the picture too: a team count below the threshold is
drawn as an open marker inside a grey "<5" band, never at its exact height.

Rendering uses matplotlib's object API on the Agg canvas (no pyplot, no global rc changes),
so charts can be drawn from scheduler threads; without a timestamp in the metadata the same
figures give the same PNG bytes. Pillow (a matplotlib dependency) reduces it to a palette.
matplotlib and Pillow are imported when the first chart is drawn, not with this module: the
Slack app, the console and the CLI import the digest code, and most processes never draw.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

TEAM_COLOUR = "#0072B2"  # Okabe-Ito blue
CITY_COLOUR = "#D55E00"  # Okabe-Ito vermillion
BAND_COLOUR = "#E6E6E6"
TEXT_COLOUR = "#222222"
WIDTH_PX, HEIGHT_PX, DPI = 1080, 1440, 100


@dataclass(frozen=True)
class Series:
    """One panel: the team's values and the city's per-team average, one per period.
    None in `team` means unknown; a value below the threshold is hidden by the chart."""

    title: str
    team: Sequence[float | None]
    city: Sequence[float | None]


def _points(values: Sequence[float | None]) -> list[float]:
    return [math.nan if v is None else float(v) for v in values]


def _panel(
    ax: Axes, series: Series, x: list[int], hidden_below: int | None, last_label: bool
) -> None:
    from matplotlib.ticker import MaxNLocator

    team = _points(series.team)
    city = _points(series.city)
    hidden = [hidden_below is not None and not math.isnan(v) and v < hidden_below for v in team]
    shown = [math.nan if h else v for v, h in zip(team, hidden, strict=True)]
    top = max([v for v in shown + city if not math.isnan(v)] + [hidden_below or 1])
    ax.set_ylim(0, top * 1.25 + 1)
    if hidden_below is not None and (any(hidden) or top <= 10 * hidden_below):
        ax.axhspan(0, hidden_below, color=BAND_COLOUR, zorder=0)
        ax.text(x[0] - 0.35, hidden_below / 2, "<5", va="center", fontsize=20, color="#555555")
    ax.plot(x, city, color=CITY_COLOUR, linestyle="--", linewidth=3.5, marker="s", markersize=9)
    ax.plot(x, shown, color=TEAM_COLOUR, linewidth=5, marker="o", markersize=13)
    small = [i for i, h in zip(x, hidden, strict=True) if h]
    band_y = [(hidden_below or 0) / 2] * len(small)
    ax.plot(small, band_y, linestyle="none", marker="o", markersize=13, markerfacecolor="white")
    ax.lines[-1].set_markeredgecolor(TEAM_COLOUR)
    ax.lines[-1].set_markeredgewidth(3)
    if last_label and team and not math.isnan(team[-1]):
        text = "<5" if hidden[-1] else f"{team[-1]:.0f}"
        y = band_y[-1] if hidden[-1] else team[-1]
        ax.annotate(
            text,
            (x[-1], y),
            xytext=(14, 0),
            textcoords="offset points",
            va="center",
            fontsize=26,
            fontweight="bold",
            color=TEAM_COLOUR,
        )
    ax.set_title(series.title, loc="left", fontsize=30, fontweight="bold", color=TEXT_COLOUR)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    ax.tick_params(labelsize=22, length=0, colors=TEXT_COLOUR)
    ax.grid(axis="y", color="#CCCCCC", linewidth=1)
    ax.set_xlim(x[0] - 0.5, x[-1] + 0.9)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def trend_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    team_name: str,
    hidden_below: int | None = 5,
    xlabel: str = "week",
) -> bytes:
    """PNG bytes of the stacked trend panels; `labels` name the periods on the x axis."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    axes = fig.subplots(len(series), 1, sharex=True, squeeze=False)[:, 0]
    x = list(range(len(labels)))
    for ax, one in zip(axes, series, strict=True):
        _panel(ax, one, x, hidden_below, last_label=True)
    axes[-1].set_xticks(x, list(labels))
    axes[-1].set_xlabel(xlabel, fontsize=22, color=TEXT_COLOUR)
    fig.suptitle(title, x=0.04, ha="left", fontsize=34, fontweight="bold", color=TEXT_COLOUR)
    legend: list[Artist] = [
        Line2D([], [], color=TEAM_COLOUR, linewidth=5, marker="o", markersize=13),
        Line2D([], [], color=CITY_COLOUR, linestyle="--", linewidth=3.5, marker="s"),
    ]
    names = [team_name, "gemiddeld team in Utrecht"]
    if hidden_below is not None:
        legend.append(Patch(color=BAND_COLOUR))
        names.append(f"minder dan {hidden_below}: niet precies getoond")
    fig.legend(
        legend,
        names,
        loc="upper left",
        bbox_to_anchor=(0.03, 0.955),
        ncols=1,
        fontsize=24,
        frameon=False,
    )
    fig.subplots_adjust(left=0.1, right=0.95, top=0.77, bottom=0.07, hspace=0.45)
    rendered = io.BytesIO()
    fig.savefig(rendered, format="png", dpi=DPI, metadata={"Software": None})
    return _palette_png(rendered)


def _palette_png(rendered: io.BytesIO) -> bytes:
    """A flat chart needs few colours: a 64-colour palette keeps it sharp at a third of the
    bytes, so it fits the outbox payload (base64) and loads fast on a phone."""
    from PIL import Image

    rendered.seek(0)
    with Image.open(rendered) as image:
        flat = image.convert("RGB").quantize(
            colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    out = io.BytesIO()
    flat.save(out, format="PNG", optimize=True)
    return out.getvalue()
