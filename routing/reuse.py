"""Answer reuse: before colleagues are disturbed, show earlier answers to the same question.

Many questions come back ("hoe vraag ik bijzondere bijstand aan voor een wasmachine?"). When an
earlier question is very close, was answered, the asker then rated the answer well, and it is
recent enough to still be true, the new asker sees it first and may decide it is enough. Only
near-duplicates qualify: a merely related answer would cost the asker a read and the experts
nothing, but would teach people to ignore the suggestion.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlmodel import Session, col, select

from knowledge.embedders import Embedder, Vectors
from models.clock import as_utc
from models.tables import Answer, Member, Question, Rating


@dataclass(frozen=True)
class ReusePolicy:
    # Answers age: rules, offers and contact persons change; a year-old answer is suspect.
    max_age_days: int = 365
    # Only answers the asker rated 4 or 5 (of 5): a 3 means "it helped a bit".
    min_rating: int = 4
    # e5 query-to-passage cosine of the two questions. Chosen for precision (at least 0.8 on
    # the training folds) by 5-fold cross-validation on 160 labelled pairs
    # (tests/fixtures/eval/reuse_pairs_dev.jsonl; `vraagbaak eval reuse --folds 5
    # --min-precision 0.8`): folds chose 0.915-0.919. The cosine barely tells "the same
    # question reworded" from "another question on the same topic" (medians 0.875 and 0.877),
    # so the floor is high and reuse is rare: a held question costs the asker minutes, and the
    # earlier floor (0.86) held half of the same-topic questions behind a wrong answer.
    min_similarity: float = 0.915
    limit: int = 2
    # How long a question waits for "Dit helpt" / "Toch doorsturen" before it goes to the
    # experts anyway (working minutes): nothing may stall because the asker looked away.
    # 0: the question is not held; the earlier answer is shown beside the first wave, and
    # "Dit helpt" closes the question and withdraws the invitations.
    hold_minutes: float = 0.0


@dataclass(frozen=True)
class EarlierAnswer:
    question_id: int
    question_text: str
    answer_text: str
    expert_name: str
    answered_at: datetime
    rating: int
    similarity: float


class AnswerReuse:
    def __init__(self, embedder: Embedder, policy: ReusePolicy | None = None) -> None:
        self.embedder = embedder
        self.policy = policy or ReusePolicy()
        self._vectors: dict[str, Vectors] = {}

    def _embedded(self, texts: list[str]) -> Vectors:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.embedder.embed_passages(missing), strict=True):
                self._vectors[text] = vector
        return np.stack([self._vectors[t] for t in texts])

    def find(self, session: Session, text: str, now: datetime) -> list[EarlierAnswer]:
        """The closest earlier well-rated answers, best first; [] when none is close enough."""
        policy = self.policy
        since = now - timedelta(days=policy.max_age_days)
        rows = session.exec(
            select(Question, Rating)
            .join(Rating, col(Rating.question_id) == col(Question.id))
            .where(
                col(Rating.score) >= policy.min_rating,
                col(Question.answered_at) >= since,
            )
        ).all()
        if not rows:
            return []
        sims = self._embedded([q.text for q, _ in rows]) @ self.embedder.embed_queries([text])[0]
        close = [
            (float(s), q, r)
            for s, (q, r) in zip(sims, rows, strict=True)
            if s >= policy.min_similarity
        ]
        close.sort(key=lambda item: (-item[0], -(item[1].id or 0)))
        close = close[: policy.limit]
        if not close:
            return []
        answers: dict[int, list[str]] = defaultdict(list)
        for answer in session.exec(
            select(Answer)
            .where(col(Answer.question_id).in_([q.id for _, q, _ in close]))
            .order_by(col(Answer.created_at), col(Answer.id))
        ):
            answers[answer.question_id].append(answer.text)
        names = {
            m.id: m.display_name
            for m in session.exec(
                select(Member).where(col(Member.id).in_([r.member_id for _, _, r in close]))
            )
        }
        return [
            EarlierAnswer(
                question_id=q.id or 0,
                question_text=q.text,
                answer_text="\n\n".join(answers.get(q.id or 0, [])),
                expert_name=names.get(r.member_id, "een collega"),
                answered_at=as_utc(q.answered_at or q.created_at),
                rating=r.score,
                similarity=round(s, 4),
            )
            for s, q, r in close
            if answers.get(q.id or 0)
        ]
