"""Start-up progress on the terminal: what is being prepared, and how far it is.

A first start embeds every profile, offer and module (minutes on two cores) and deduce builds
its cache; without a word the console looked hung. `Deps.warm_up` reports its steps
(bot/wiring.py::WARM_UP_STEPS) with counts; this module turns them into Dutch lines on
stderr. On a terminal the count of the running step is rewritten in place; elsewhere (a pipe,
a log) each step gets a line when it starts and when it ends, and a count line at most every
tenth of the way, so a log stays short.
"""

from __future__ import annotations

import time
from typing import TextIO

STEP_TEXT = {
    "model": "Database en taalmodel laden",
    "privacy": "Privacycontrole laden (de eerste keer bouwt deduce een cache)",
    "experts": "Profielen van collega's inlezen",
    "catalogue": "Sociale kaart en Buurtacademie inlezen",
    "search": "Zoekindexen opbouwen",
}


class StartupProgress:
    """A `WarmUpProgress` (step, done, total) that writes to `out`; call `done()` at the end."""

    def __init__(self, out: TextIO, *, live: bool | None = None) -> None:
        self.out = out
        self.live = out.isatty() if live is None else live
        self._step: str | None = None
        self._shown_tenth = -1
        self._started = time.monotonic()
        self._step_started = self._started
        self._open_line = False

    def __call__(self, step: str, done: int, total: int) -> None:
        if step != self._step:
            self._finish_step()
            self._step, self._shown_tenth = step, -1
            self._step_started = time.monotonic()
            self._write(f"{STEP_TEXT.get(step, step)}…", end=not self.live)
        if total <= 1:  # a step without counts: its start and end say enough
            return
        tenth = done * 10 // total
        if self.live:
            self._write(f"\r{STEP_TEXT.get(step, step)}… {done}/{total} teksten", end=False)
        elif tenth > self._shown_tenth:
            self._write(f"  {done}/{total} teksten")
        self._shown_tenth = tenth

    def done(self) -> None:
        """End the last step and say how long the whole start took."""
        self._finish_step()
        self._write(f"Klaar om vragen te beantwoorden ({_seconds(self._started)}).")

    def _finish_step(self) -> None:
        if self._step is None:
            return
        if self.live:
            self._write(f" klaar ({_seconds(self._step_started)})")
        else:
            self._write(f"  klaar ({_seconds(self._step_started)})")
        self._step = None

    def _write(self, text: str, *, end: bool = True) -> None:
        self.out.write(text + ("\n" if end else ""))
        self.out.flush()


def _seconds(since: float) -> str:
    return f"{time.monotonic() - since:.1f} s".replace(".", ",")
