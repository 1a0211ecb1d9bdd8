"""Start-up prepares what a question needs: after warm-up, one question is one query-embedding
model call and nothing else reaches the model; a restart embeds nothing at all; an empty index
asks the model nothing (issue 15, items 1 and 5).

The model is a HashingEmbedder wrapped to count what reaches it; every other part is real
(the cached embedder, the indexes, the classifier, the dispatcher, the console chat).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.console.chat import ConsoleChat
from bot.wiring import WARM_UP_STEPS, Deps
from knowledge.catalogue_search import CatalogueSearch
from knowledge.embedders import HashingEmbedder, Vectors
from knowledge.embedding_cache import CachedEmbedder
from knowledge.glossary import glossary
from models.clock import FixedClock
from models.db import session_factory
from models.tables import Invitation
from tests.helpers import ASKER, make_deps

# "SHV" is spelled out for the embedder (knowledge/data/synonyms.csv): the classifier and the
# indexes must still share one query text.
QUESTION = "Wie weet iets van SHV en beschermingsbewind bij schulden door gokken?"


class CountingModel(HashingEmbedder):
    """The model as the cached embedder sees it, counting its calls and texts per kind."""

    def __init__(self) -> None:
        super().__init__()
        self.query_calls: list[list[str]] = []
        self.passage_texts = 0

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        self.query_calls.append(list(texts))
        return super().embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        self.passage_texts += len(texts)
        return super().embed_queries(texts)  # HashingEmbedder's passages are its queries


def _started(db: Engine, clock: FixedClock) -> tuple[Deps, CountingModel]:
    model = CountingModel()
    deps = make_deps(db, clock, embedder=model)
    deps.warm_up()
    return deps, model


def test_after_warm_up_a_question_is_one_query_embedding_call(
    db: Engine, clock: FixedClock
) -> None:
    deps, model = _started(db, clock)
    model.query_calls.clear()
    model.passage_texts = 0
    out = io.StringIO()
    ConsoleChat(deps, ASKER, out, advance=clock.advance).handle(QUESTION)
    with deps.sessions() as session:
        assert session.exec(select(Invitation)).all()  # the question went all the way
    assert len(model.query_calls) == 1 and len(model.query_calls[0]) == 1
    assert "schuldhulpverlening" in model.query_calls[0][0]  # the expanded text, once
    assert model.passage_texts == 0


def test_warm_up_stores_the_background_vectors_and_a_restart_embeds_nothing(
    db: Engine, clock: FixedClock
) -> None:
    _, first = _started(db, clock)
    background = [text for call in first.query_calls for text in call]
    assert len(background) == len(glossary())  # the academy's background, at warm-up
    steps: list[str] = []
    restarted = CountingModel()
    deps = make_deps(db, clock, embedder=restarted)
    deps.warm_up(lambda step, done, total: steps.append(step))
    assert restarted.query_calls == [] and restarted.passage_texts == 0
    assert list(dict.fromkeys(steps)) == list(WARM_UP_STEPS)


def test_fixed_queries_and_passages_of_one_text_are_stored_apart(db: Engine) -> None:
    model = CountingModel()
    cached = CachedEmbedder(model, session_factory(db))
    cached.embed_passages(["hulp bij geld"])
    cached.embed_fixed_queries(["hulp bij geld"])
    assert model.passage_texts == 1 and model.query_calls == [["hulp bij geld"]]
    again = CountingModel()
    CachedEmbedder(again, session_factory(db)).embed_fixed_queries(["hulp bij geld"])
    assert again.query_calls == []


def test_an_empty_catalogue_asks_the_model_nothing(db: Engine) -> None:
    model = CountingModel()
    search = CatalogueSearch(CachedEmbedder(model, session_factory(db)))
    search.prepare()
    assert search.find_offers("schulden") == [] and search.find_modules("schulden") == []
    assert model.query_calls == [] and model.passage_texts == 0
