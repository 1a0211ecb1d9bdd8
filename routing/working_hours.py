"""Escalation time counts working hours only: a question asked at 17:20 on Friday is not
"unanswered" at 17:40; its clock runs on Monday morning. Times are Europe/Amsterdam.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from models.clock import AMSTERDAM


@dataclass(frozen=True)
class WorkingHours:
    day_start: time = time(8, 30)
    day_end: time = time(17, 30)
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday = 0

    @classmethod
    def parse(cls, start: str, end: str) -> WorkingHours:
        return cls(time.fromisoformat(start), time.fromisoformat(end))

    def _window(self, day: datetime) -> tuple[datetime, datetime]:
        opens = datetime.combine(day.date(), self.day_start, tzinfo=AMSTERDAM)
        closes = datetime.combine(day.date(), self.day_end, tzinfo=AMSTERDAM)
        return opens, closes

    def contains(self, moment: datetime) -> bool:
        """Whether `moment` falls in working time (a workday, between start and end)."""
        local = moment.astimezone(AMSTERDAM)
        opens, closes = self._window(local)
        return local.weekday() in self.workdays and opens <= local < closes

    def add(self, start: datetime, minutes: float) -> datetime:
        """The moment `minutes` working minutes after `start` (timezone-aware)."""
        remaining = timedelta(minutes=minutes)
        cursor = start.astimezone(AMSTERDAM)
        for _ in range(366):
            opens, closes = self._window(cursor)
            if cursor.weekday() in self.workdays and cursor < closes:
                cursor = max(cursor, opens)
                if cursor + remaining <= closes:
                    return cursor + remaining
                remaining -= closes - cursor
            next_day = (cursor + timedelta(days=1)).date()
            cursor = datetime.combine(next_day, time(0, 0), tzinfo=AMSTERDAM)
        raise ValueError("no working time in a year: check the working-hours settings")
