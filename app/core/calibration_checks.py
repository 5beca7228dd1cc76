"""Checks of the scorer beyond rank agreement: misheard words, formulas, off-topic replies.

- `with_recogniser_errors`: the labelled set with a seeded share of words deleted or replaced,
  as a recogniser mishears them, to measure how far the agreement holds.
- `formula_pairs`: for each customer line, each reply written to answer it against each empathy
  formula written to it for another concern: the relevant one should win by a clear margin.
- `kind_means`: the mean scores of each kind of reply the writers meant to write.
- `distribution`: how the scores spread over the 0-100 range.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from app.core.calibration import ConcernsFor, LabelledReply
from app.core.evaluation import evaluate

ERROR_RATE = 0.10
ERROR_SEED = 11
# A relevant reply must beat the formula by at least this many points to count as a clear win.
CLEAR_MARGIN = 15
RELEVANT_PREFIX = "relevant"  # "relevant-strong", "relevant-plain", "relevant-spoken-asr"
FORMULA_KINDS = frozenset({"formula-other", "formula"})
OFF_TOPIC_KINDS = frozenset({"off-topic", "off-topic-polite"})
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'£$.,]*")


def with_recogniser_errors(
    items: Sequence[LabelledReply], rate: float = ERROR_RATE, seed: int = ERROR_SEED
) -> list[LabelledReply]:
    """Each reply with about `rate` of its words deleted or replaced by another word of the set.

    Half the errors delete a word, half replace it with a word drawn from the set's replies,
    as a recogniser substitutes a word it knows. The same seed gives the same errors.
    """
    generator = random.Random(seed)
    vocabulary = sorted({w.lower().strip(".,") for i in items for w in _WORD.findall(i.reply)})
    noisy = []
    for item in items:
        words = item.reply.split()
        kept: list[str] = []
        for word in words:
            if generator.random() >= rate:
                kept.append(word)
            elif generator.random() < 0.5 and vocabulary:
                kept.append(generator.choice(vocabulary))
        noisy.append(replace(item, reply=" ".join(kept) or item.reply))
    return noisy


@dataclass(frozen=True)
class FormulaPairs:
    """Relevant replies against formula replies written for another concern."""

    pairs: int
    clear_wins: int  # the relevant reply scored at least CLEAR_MARGIN points higher
    mean_relevant: float
    mean_formula: float

    @property
    def share(self) -> float:
        return self.clear_wins / self.pairs if self.pairs else 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "pairs": self.pairs,
            "clear_wins": self.clear_wins,
            "share": round(self.share, 3),
            "mean_relevant_empathy": round(self.mean_relevant, 1),
            "mean_formula_empathy": round(self.mean_formula, 1),
        }


def formula_pairs(items: Sequence[LabelledReply], concerns: ConcernsFor) -> FormulaPairs | None:
    """Every (relevant reply, formula written for another concern) pair to the same customer
    line, both scored on that line; None when the set marks no such replies."""
    by_line: dict[tuple[str, str], list[LabelledReply]] = defaultdict(list)
    for item in items:
        by_line[(item.situation, item.customer)].append(item)
    wins = pairs = 0
    relevant_total = formula_total = 0.0
    for replies in by_line.values():
        formulas = [item for item in replies if item.kind in FORMULA_KINDS]
        relevant = [item for item in replies if item.kind.startswith(RELEVANT_PREFIX)]
        for item in relevant:
            cues = concerns.get(item.scenario or "", ())
            mine = evaluate(item.customer, item.reply, cues).empathy
            for formula in formulas:
                theirs = evaluate(item.customer, formula.reply, cues).empathy
                pairs += 1
                wins += mine - theirs >= CLEAR_MARGIN
                relevant_total += mine
                formula_total += theirs
    if not pairs:
        return None
    return FormulaPairs(pairs, wins, relevant_total / pairs, formula_total / pairs)


def kind_means(
    items: Sequence[LabelledReply], scores: dict[str, Sequence[int]]
) -> dict[str, dict[str, float]]:
    """For each kind: how many, mean score and mean label of each scale."""
    grouped: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        grouped[item.kind or "(unmarked)"].append(index)
    table: dict[str, dict[str, float]] = {}
    for kind, indexes in sorted(grouped.items()):
        row: dict[str, float] = {"replies": float(len(indexes))}
        for scale, values in scores.items():
            row[f"{scale}_score"] = sum(values[i] for i in indexes) / len(indexes)
            row[f"{scale}_label"] = sum(getattr(items[i], scale) for i in indexes) / len(indexes)
        table[kind] = row
    return table


def off_topic_mean(items: Sequence[LabelledReply], empathy: Sequence[int]) -> float | None:
    """Mean empathy score of the replies written to be off-topic; None when there are none."""
    chosen = [
        score for item, score in zip(items, empathy, strict=True) if item.kind in OFF_TOPIC_KINDS
    ]
    return sum(chosen) / len(chosen) if chosen else None


def distribution(scores: Sequence[int], width: int = 10) -> list[int]:
    """How many scores fall in each band of `width` points (the last band includes 100)."""
    bands = [0] * (100 // width)
    for score in scores:
        bands[min(len(bands) - 1, score // width)] += 1
    return bands
