"""/spraak in the console: a local audio file is shown as "Ik heb verstaan: …", and only
/spraak versturen (or aanpassen) sends it on, the way a typed line goes."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.console.chat import ConsoleChat
from bot.console.voice import default_service
from models.clock import FixedClock
from models.tables import Question
from tests.audio import QUESTION_WAV
from tests.helpers import ASKER, make_deps

pytestmark = pytest.mark.slow  # the real Whisper model


@pytest.fixture
def fresh_service(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    default_service.cache_clear()
    yield monkeypatch
    default_service.cache_clear()


def _questions(chat: ConsoleChat) -> list[Question]:
    with chat.deps.sessions() as session:
        return list(session.exec(select(Question)).all())


def test_spraak_shows_what_was_heard_and_sends_only_when_told(
    db: Engine, clock: FixedClock, fresh_service: pytest.MonkeyPatch
) -> None:
    out = io.StringIO()
    chat = ConsoleChat(make_deps(db, clock), ASKER, out, advance=clock.advance)
    chat.handle(f"/spraak {QUESTION_WAV}")
    assert "Ik heb verstaan:" in out.getvalue() and "/spraak versturen" in out.getvalue()
    assert _questions(chat) == []

    chat.handle("/spraak versturen")
    (question,) = _questions(chat)
    assert question.asker_id == ASKER
    chat.handle("/spraak versturen")
    assert "Er staat geen ingesproken tekst klaar" in out.getvalue()


def test_spraak_aanpassen_sends_the_corrected_text_and_annuleren_nothing(
    db: Engine, clock: FixedClock, fresh_service: pytest.MonkeyPatch
) -> None:
    out = io.StringIO()
    chat = ConsoleChat(make_deps(db, clock), ASKER, out, advance=clock.advance)
    chat.handle(f"/spraak {QUESTION_WAV}")
    chat.handle("/spraak annuleren")
    assert "Geannuleerd: er is niets verstuurd" in out.getvalue() and _questions(chat) == []

    chat.handle(f"/spraak {QUESTION_WAV}")
    chat.handle("/spraak aanpassen casus 4711 afgesloten, doel bereikt")
    assert "/opslaan" in out.getvalue()  # the registration card, as for a typed line
    assert _questions(chat) == []


def test_spraak_with_voice_off_says_so(
    db: Engine, clock: FixedClock, fresh_service: pytest.MonkeyPatch
) -> None:
    fresh_service.setenv("VRAAGBAAK_VOICE_ENABLED", "false")
    out = io.StringIO()
    chat = ConsoleChat(make_deps(db, clock), ASKER, out)
    chat.handle(f"/spraak {QUESTION_WAV}")
    assert "Spraakberichten staan bij Vraagbaak niet aan" in out.getvalue()
