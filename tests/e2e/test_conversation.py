"""The application layer (bot/conversation/) as the console drives it: a message that reads
like a registration never reaches experts without the sender asking for it."""

from __future__ import annotations

import io

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.console.chat import ConsoleChat
from bot.conversation import direct
from models.clock import FixedClock
from models.tables import Invitation, Member, Question
from tests.helpers import ASKER, make_deps

QUESTION = "Wie kent de regels van de WSNP en beschermingsbewind bij schulden?"


def _questions(chat: ConsoleChat) -> list[Question]:
    with chat.deps.sessions() as session:
        return list(session.exec(select(Question)).all())


def test_registration_like_messages_stay_with_the_sender_until_asked_as_a_question(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    out = io.StringIO()
    chat = ConsoleChat(deps, ASKER, out, advance=clock.advance)
    for text in (
        "casus 4711 afgesloten, doel bereikt",
        "casus 4711 bla bla onleesbaar xyzzy",
        "registreer: iets wat niemand begrijpt",
    ):
        chat.handle(text)
    assert _questions(chat) == []
    with deps.sessions() as session:
        assert session.exec(select(Invitation)).all() == []
    chat.handle("/vraag casus 4711: hoe sluit ik af als de cliënt verhuist naar Zeist?")
    (question,) = _questions(chat)
    assert f"(vraag {question.id})" in out.getvalue()


def test_the_same_message_delivered_twice_asks_once(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock)
    with deps.sessions() as session:
        member = session.get(Member, ASKER)
    typed = direct.Typed(member=member, text=QUESTION, key="k1", channel="D1", reply_thread="1")
    first, again = direct.receive(deps, typed), direct.receive(deps, typed)
    assert isinstance(first, direct.Asked) and not first.duplicate
    assert again == direct.Asked(first.question_id, duplicate=True)
    stranger = direct.receive(
        deps, direct.Typed(member=None, text=QUESTION, key="k2", channel="D2")
    )
    assert isinstance(stranger, direct.Told) and "collega" in stranger.text
    in_a_thread = direct.Typed(member=member, text=QUESTION, key="k3", channel="D1", thread="9")
    assert direct.receive(deps, in_a_thread) == direct.Told(direct.THREAD_HINT)
