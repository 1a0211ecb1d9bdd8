"""Dutch names of weekdays and months, for what people type and what we write back (the
digests, the registration parser, the date forms of de-identification)."""

from __future__ import annotations

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
