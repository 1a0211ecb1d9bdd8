"""The 14 Wat Telt leefgebieden, name/slug lookup, and a leefgebied classifier for questions.

Data files say "geld", "alcohol, drugs, gamen en gokken" or "verslaving" interchangeably, so
every entry point goes through `slug_for`. The classifier combines two weak signals that fail
differently: keyword cues (precise on domain words like "deurwaarder", blind to paraphrase)
and dense similarity to a few example descriptions per leefgebied (robust to paraphrase,
vague on specifics). Cues and descriptions live in `data/leefgebied_cues.csv`.
"""

from __future__ import annotations

import csv
import re
import weakref
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process, utils

from knowledge.embedders import Embedder
from knowledge.index import SCORE_DECIMALS
from knowledge.textnorm import DutchAnalyzer, fold, stem, tokenize

DATA = Path(__file__).parent / "data"
LEEFGEBIEDEN_CSV = DATA / "leefgebieden.csv"
CUES_CSV = DATA / "leefgebied_cues.csv"


@dataclass(frozen=True)
class Leefgebied:
    slug: str
    name: str


@dataclass(frozen=True)
class ClassifierWeights:
    """How the two signals are mixed (chosen on routing_dev, top-1 accuracy)."""

    # Cues are precise when they fire; dense similarity covers questions without cue words.
    cue_share: float = 0.5
    # Softmax temperature over description cosines; e5 cosines differ by only a few hundredths.
    dense_temperature: float = 0.01
    # Cues shorter than this must match a whole word; longer ones may sit inside a compound.
    min_infix_cue_length: int = 5


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(text)).strip("_")


@cache
def load_leefgebieden(path: Path = LEEFGEBIEDEN_CSV) -> tuple[Leefgebied, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(Leefgebied(r["slug"], r["name"]) for r in csv.DictReader(handle))


def slugs() -> tuple[str, ...]:
    return tuple(lg.slug for lg in load_leefgebieden())


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for lg in load_leefgebieden():
        table[_key(lg.slug)] = lg.slug
        table[_key(lg.name)] = lg.slug
    return table


def slug_for(name_or_slug: str) -> str:
    """The slug for a Dutch name, a slug, or a close variant ("Dagelijkse activiteiten",
    "lichaamelijke gezondheid"). Raises KeyError when nothing is close enough."""
    table = _lookup()
    key = _key(name_or_slug)
    if key in table:
        return table[key]
    prefixed = [slug for known, slug in table.items() if key and known.startswith(key + "_")]
    if len(set(prefixed)) == 1:
        return prefixed[0]
    match = process.extractOne(
        key, list(table), scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=85
    )
    if match is None:
        raise KeyError(f"onbekend leefgebied: {name_or_slug!r}")
    return table[match[0]]


def name_for(slug: str) -> str:
    """The Dutch display name of a leefgebied."""
    wanted = slug_for(slug)
    return next(lg.name for lg in load_leefgebieden() if lg.slug == wanted)


@dataclass(frozen=True)
class _Cue:
    stems: tuple[str, ...]
    infix: str | None  # a long single word may also match inside a compound


class LeefgebiedClassifier:
    """Scores all 14 leefgebieden for a text; descriptions are embedded once."""

    def __init__(
        self,
        embedder: Embedder,
        cues_path: Path = CUES_CSV,
        weights: ClassifierWeights = ClassifierWeights(),
    ) -> None:
        self.embedder = embedder
        self.weights = weights
        self.slugs = slugs()
        with cues_path.open(encoding="utf-8", newline="") as handle:
            rows = {slug_for(r["leefgebied"]): r for r in csv.DictReader(handle)}
        self._cues = {s: self._parse_cues(rows[s]["cues"]) for s in self.slugs}
        # Every cue once, by its first stem (a phrase can only start where its first word
        # is), and the cues that may also match inside a compound: a question reads each of
        # its words once instead of every cue scanning every word.
        self._by_first: dict[str, list[tuple[int, int, tuple[str, ...]]]] = {}
        self._infixes: list[tuple[int, int, str]] = []
        for s, slug in enumerate(self.slugs):
            for c, cue in enumerate(self._cues[slug]):
                self._by_first.setdefault(cue.stems[0], []).append((s, c, cue.stems))
                if cue.infix is not None:
                    self._infixes.append((s, c, cue.infix))
        texts = [(s, d.strip()) for s in self.slugs for d in rows[s]["descriptions"].split(";")]
        self._owners = np.array([self.slugs.index(s) for s, _ in texts])
        self._vectors = embedder.embed_passages([d for _, d in texts])

    def _parse_cues(self, cell: str) -> list[_Cue]:
        cues = []
        for raw in (c.strip() for c in cell.split(";") if c.strip()):
            words = tokenize(raw)
            if not words:
                continue  # punctuation only: no word to find
            long_word = len(words) == 1 and len(words[0]) >= self.weights.min_infix_cue_length
            cues.append(_Cue(tuple(stem(w) for w in words), words[0] if long_word else None))
        return cues

    def cue_scores(self, text: str) -> np.ndarray:
        """Distinct cues found per leefgebied, as shares of all cues found."""
        tokens = tokenize(text)
        stems = [stem(t) for t in tokens]
        found: set[tuple[int, int]] = set()
        for i, first in enumerate(stems):
            for s, c, cue_stems in self._by_first.get(first, ()):
                if tuple(stems[i : i + len(cue_stems)]) == cue_stems:
                    found.add((s, c))
        for s, c, infix in self._infixes:
            if (s, c) not in found and any(infix in token for token in tokens):
                found.add((s, c))
        counts = np.bincount([s for s, _ in found], minlength=len(self.slugs)).astype(float)
        total = counts.sum()
        return counts / total if total else np.zeros(len(self.slugs))

    def dense_scores(self, text: str) -> np.ndarray:
        """Softmax over leefgebieden of the mean cosine to their descriptions.

        The mean, not the best: with several descriptions per leefgebied one generic sentence
        ("Een oudere die ...") would otherwise win for any question about an older person.
        """
        sims = self._vectors @ self.embedder.embed_queries([query_text(text)])[0]
        centroid = np.bincount(self._owners, weights=sims) / np.bincount(self._owners)
        soft = np.exp((centroid - centroid.max()) / self.weights.dense_temperature)
        result: np.ndarray = soft / soft.sum()
        return result

    def classify(self, text: str) -> list[tuple[str, float]]:
        """(slug, score) for all leefgebieden, best first; scores sum to 1."""
        share = self.weights.cue_share
        cues = self.cue_scores(text)
        mixed = (
            self.dense_scores(text)
            if not cues.any()
            else (share * cues + (1.0 - share) * self.dense_scores(text))
        )
        rounded = [round(float(score), SCORE_DECIMALS) for score in mixed]
        order = sorted(range(len(self.slugs)), key=lambda i: (-rounded[i], i))
        return [(self.slugs[i], rounded[i]) for i in order]


_CLASSIFIERS: weakref.WeakKeyDictionary[Embedder, LeefgebiedClassifier] = (
    weakref.WeakKeyDictionary()
)


@cache
def _analyzer() -> DutchAnalyzer:
    return DutchAnalyzer()


def query_text(text: str) -> str:
    """What the embedder sees of a question: exactly what HybridIndex embeds for it (the
    placeholders dropped, abbreviations spelled out), so the classifier and every index share
    one query vector, and one question costs one model call (CachedEmbedder's memo)."""
    return _analyzer().expand_text(text)


def leefgebied_classifier(embedder: Embedder) -> LeefgebiedClassifier:
    """The classifier of `embedder`, built on first use (warm-up builds it: its descriptions
    are embedded, or read from the embedding cache, when it is built)."""
    classifier = _CLASSIFIERS.get(embedder)
    if classifier is None:
        classifier = LeefgebiedClassifier(embedder)
        _CLASSIFIERS[embedder] = classifier
    return classifier


def classify_leefgebieden(text: str, embedder: Embedder) -> list[tuple[str, float]]:
    """All leefgebieden scored for `text`, best first (a classifier is cached per embedder)."""
    return leefgebied_classifier(embedder).classify(text)
