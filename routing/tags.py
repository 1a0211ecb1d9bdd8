"""One word per skill: new tags are matched to the tags colleagues already use.

If one colleague tags "schulden" and the next "schuldhulp", the directory has two skills where
there is one, and a question matching one tag misses the other expert. So a new tag is mapped
to an existing one that means the same, in order of certainty: the same words (case, accents,
punctuation), the same stems ("Wmo-aanvragen" ~ "wmo aanvraag"), a synonym group of
knowledge/data/synonyms.csv that the whole tag is a phrase of, and finally a typo
(rapidfuzz ratio). A tag that is a leefgebied name is a leefgebied, not a tag.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process, utils
from sqlmodel import Session, col, select

from knowledge.taxonomy import load_leefgebieden
from knowledge.textnorm import DutchAnalyzer, stem, tokenize
from models.tables import ExpertiseProfile, Member

# ratio >= 88 accepts one typo in an 8-10 letter word ("schuldhlup") and rejects neighbours
# that are different skills ("schuldsanering" vs "schuldregeling" scores 79).
TYPO_CUTOFF = 88.0
# Synonym relations strong enough to merge two tags; "verwant" merges too, because that is how
# synonyms.csv links "schulden" and "schuldhulp", which must not become two skills.
_RELATION_RANK = {"afkorting": 0, "synoniem": 0, "verwant": 1}


def tag_key(tag: str) -> str:
    """Case, accents and punctuation folded away: "Wmo-aanvraag" -> "wmo aanvraag"."""
    return " ".join(tokenize(tag))


def tag_stems(tag: str) -> tuple[str, ...]:
    return tuple(stem(t) for t in tokenize(tag))


@cache
def _analyzer() -> DutchAnalyzer:
    return DutchAnalyzer()


@cache
def _group_patterns() -> dict[tuple[str, ...], tuple[tuple[int, str], ...]]:
    """Stem pattern of every synonym phrase -> (relation rank, group key) it belongs to."""
    patterns: dict[tuple[str, ...], list[tuple[int, str]]] = {}
    for group in _analyzer().groups:
        rank = _RELATION_RANK.get(group.relation, 2)
        for phrase in group.phrases:
            patterns.setdefault(tag_stems(phrase), []).append((rank, group.key))
    return {pattern: tuple(sorted(groups)) for pattern, groups in patterns.items()}


def concepts(tag: str) -> dict[str, int]:
    """Synonym groups the whole tag is a phrase of, with their relation rank (0 = strongest)."""
    return {key: rank for rank, key in _group_patterns().get(tag_stems(tag), ())}


def leefgebied_of(tag: str) -> str | None:
    """The slug when a tag is literally a leefgebied's name or slug."""
    key = tag_key(tag)
    for lg in load_leefgebieden():
        if key in (tag_key(lg.slug.replace("_", " ")), tag_key(lg.name)):
            return lg.slug
    return None


@dataclass(frozen=True)
class TagVocabulary:
    """The tags in use, with how many active profiles use each spelling."""

    counts: dict[str, int]

    @classmethod
    def load(cls, session: Session, *, exclude_member: str | None = None) -> TagVocabulary:
        rows = session.exec(
            select(ExpertiseProfile.member_id, ExpertiseProfile.tags)
            .join(Member, col(Member.id) == col(ExpertiseProfile.member_id))
            .where(col(Member.is_active).is_(True))
        ).all()
        counts: Counter[str] = Counter()
        for member_id, cell in rows:
            if member_id != exclude_member:
                counts.update(set(cell))
        return cls(dict(counts))

    def _popular(self, tags: list[str]) -> list[str]:
        return sorted(set(tags), key=lambda t: (-self.counts[t], len(t), t))

    def canonical(self, tag: str) -> str | None:
        """The existing tag that means the same as `tag`, or None when it is a new skill."""
        key, stems, wanted = tag_key(tag), tag_stems(tag), concepts(tag)
        for same in (
            [t for t in self.counts if tag_key(t) == key],
            [t for t in self.counts if stems and tag_stems(t) == stems],
        ):
            if same:
                return self._popular(same)[0]
        related: list[tuple[int, str]] = []
        for existing in self.counts if wanted else ():
            shared = [wanted[c] for c in concepts(existing) if c in wanted]
            related += [(min(shared), existing)] if shared else []
        if related:
            top = min(rank for rank, _ in related)
            return self._popular([t for rank, t in related if rank == top])[0]
        return self._typo(tag)

    def _typo(self, tag: str) -> str | None:
        if len(tag_key(tag)) < 5:
            return None
        keys = {tag_key(t): t for t in self._popular(list(self.counts))[::-1]}
        match = process.extractOne(
            tag_key(tag),
            list(keys),
            scorer=fuzz.ratio,
            processor=utils.default_process,
            score_cutoff=TYPO_CUTOFF,
        )
        return keys[match[0]] if match else None

    def suggest(self, text: str, limit: int = 5) -> list[str]:
        """Existing tags for what someone is typing: one tag, a ';'/','-list, or a description.

        Per typed part: its canonical tag, then tags starting with it (autocomplete); for a
        longer text also every tag whose words occur in it, most used first.
        """
        found: list[str] = []
        for part in (p.strip() for p in re.split(r"[;,\n]", text) if p.strip()):
            canonical = self.canonical(part)
            found += [canonical] if canonical else []
            key = tag_key(part)
            if len(key) >= 3:
                found += self._popular([t for t in self.counts if tag_key(t).startswith(key)])
        if len(tokenize(text)) > 3:
            found += self._popular([t for t in self.counts if _occurs(t, text)])
        unique = list(dict.fromkeys(found))
        return unique[:limit]


def _occurs(tag: str, text: str) -> bool:
    """The tag's stems occur in order in the text, or its synonym group is mentioned."""
    pattern, stems = tag_stems(tag), [stem(t) for t in tokenize(text)]
    if pattern and any(
        tuple(stems[i : i + len(pattern)]) == pattern for i in range(len(stems) - len(pattern) + 1)
    ):
        return True
    mentioned = {group.key for group in _analyzer().matched_groups(text)}
    return any(rank == 0 and key in mentioned for key, rank in concepts(tag).items())


def suggest_tags(session: Session, text: str, *, limit: int = 5) -> list[str]:
    """Existing colleagues' tags for `text` (what the expert is typing), best first."""
    return TagVocabulary.load(session).suggest(text, limit)
