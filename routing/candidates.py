"""An expert as the ranker sees them, and their searchable document (routing/rank.py
re-exports all of it).

The document is a pure function of the candidate and the weights: the directory
(routing/directory.py) relies on that to rebuild a document only when what it depends on moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.glossary import glosses
from knowledge.index import Document
from knowledge.taxonomy import slug_for
from routing.weights import RankingWeights


@dataclass(frozen=True)
class LearnedItem:
    """One well-rated answer as evidence: the (de-identified) question and its decayed weight
    (1.0 on the day of the rating, halving every `evidence_half_life_days`)."""

    text: str
    leefgebieden: tuple[str, ...]
    weight: float


@dataclass(frozen=True)
class ExpertCandidate:
    member_id: str
    team: str
    expertise: str  # free text
    tags: tuple[str, ...]
    leefgebieden: tuple[str, ...]  # slugs
    available: bool = True  # False when "afwezig tot" is in the future or Slack DND is on
    invitations_today: int = 0
    daily_cap: int = 5
    open_invitations: int = 0  # invitations currently awaiting this expert's answer
    accept_rate: float | None = None  # share of past invitations accepted, None = no history
    median_response_minutes: float | None = None
    is_external: bool = False
    role: str = ""  # e.g. "wijkverpleegkundige", "jurist juridisch spreekuur"
    languages: tuple[str, ...] = ()  # language slugs spoken with clients (knowledge/languages)
    learned: tuple[LearnedItem, ...] = ()  # evidence from well-rated answers
    declared_weight: float = 1.0  # freshness of the declared tags: 1.0 = confirmed just now


@dataclass(frozen=True)
class RankedExpert:
    member_id: str
    score: float
    components: dict[str, float]  # dense, lexical, fuzzy, leefgebied, availability/load adjustments


def counted_evidence(items: Sequence[LearnedItem], weights: RankingWeights) -> list[LearnedItem]:
    """The evidence that still shapes the document: heavy enough, heaviest first, capped."""
    kept = [item for item in items if item.weight >= weights.learned_min_weight]
    kept.sort(key=lambda item: (-item.weight, item.text))
    return kept[: weights.learned_max_items]


def _sentence(text: str) -> str:
    """Each piece of evidence ends a sentence, so the index embeds it as its own passage."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def expert_document(candidate: ExpertCandidate, weights: RankingWeights) -> Document:
    """The searchable form of a candidate: declared profile plus counted evidence."""
    learned = counted_evidence(candidate.learned, weights)
    leefgebieden = [slug_for(s) for s in candidate.leefgebieden]
    support: dict[str, float] = {}
    for item in learned:
        for slug in item.leefgebieden:
            support[slug_for(slug)] = support.get(slug_for(slug), 0.0) + item.weight
    leefgebieden += sorted(
        slug
        for slug, total in support.items()
        if total >= weights.learned_leefgebied_weight and slug not in leefgebieden
    )
    boosts = {"tags": round(min(max(candidate.declared_weight, 0.0), 1.0), 2)}
    if learned:
        total = sum(item.weight for item in learned)
        boosts["learned"] = round(min(total / weights.learned_full_weight, 1.0), 2)
    return Document(
        doc_id=candidate.member_id,
        fields={
            "expertise": candidate.expertise,
            "tags": ";".join(candidate.tags),
            "role": candidate.role,
            "team": candidate.team,
            "gloss": ". ".join(glosses(candidate.tags)),
            "learned": " ".join(_sentence(item.text) for item in learned),
        },
        leefgebieden=tuple(leefgebieden),
        metadata={"is_external": candidate.is_external},
        boosts=boosts,
    )
