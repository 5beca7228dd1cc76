"""How far the evaluator agrees with a trainer's labels on a set of replies.

Two figures per scale: Spearman's rank correlation over the whole set, and the share of pairs of
replies to the same situation that the scorer puts in the same order as the trainer. The second
is what a trainee experiences: of two answers to the same customer, the better one should score
higher.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from app.core.evaluation import Evaluation, evaluate

LABEL_RANGE = range(0, 5)
SCALES = ("empathy", "composure")


class CalibrationError(ValueError):
    """A labelled set that cannot be used, said in one line."""


@dataclass(frozen=True)
class LabelledReply:
    """A reply a trainer labelled 0-4 for empathy and composure by the rubric."""

    id: str
    situation: str
    customer: str
    reply: str
    empathy: int
    composure: int

    @classmethod
    def from_json(cls, item: Mapping[str, object], where: str) -> LabelledReply:
        """Reads one labelled line; `where` names it in the message when it is malformed."""
        texts = {key: item.get(key) for key in ("id", "situation", "customer", "reply")}
        labels = {key: item.get(key) for key in SCALES}
        for key, value in texts.items():
            if not isinstance(value, str):
                raise CalibrationError(f'{where}: "{key}" must be text')
        for key, label in labels.items():
            if not isinstance(label, int) or isinstance(label, bool) or label not in LABEL_RANGE:
                raise CalibrationError(f'{where}: "{key}" must be a label from 0 to 4')
        return cls(
            id=str(texts["id"]),
            situation=str(texts["situation"]),
            customer=str(texts["customer"]),
            reply=str(texts["reply"]),
            empathy=int(str(labels["empathy"])),
            composure=int(str(labels["composure"])),
        )


@dataclass(frozen=True)
class Agreement:
    """Agreement on one scale. `pairs` counts the within-situation pairs with different labels."""

    spearman: float
    pairwise_accuracy: float
    pairs: int

    def to_json(self) -> dict[str, object]:
        return {
            "spearman": round(self.spearman, 3),
            "pairwise_accuracy": round(self.pairwise_accuracy, 3),
            "pairs": self.pairs,
        }


@dataclass(frozen=True)
class Disagreement:
    """A reply whose score is furthest from where its label puts it, for tuning the rubric."""

    item: LabelledReply
    scale: str
    label: int
    score: int
    expected_score: float


@dataclass(frozen=True)
class Calibration:
    count: int
    situations: int
    empathy: Agreement
    composure: Agreement
    disagreements: tuple[Disagreement, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "replies": self.count,
            "situations": self.situations,
            "empathy": self.empathy.to_json(),
            "composure": self.composure.to_json(),
        }


Scorer = Callable[[str, str], Evaluation]


def calibrate(items: Sequence[LabelledReply], scorer: Scorer = evaluate) -> Calibration:
    """Scores every labelled reply and measures agreement with the labels."""
    if not items:
        raise CalibrationError("no labelled replies to calibrate against")
    results = [scorer(item.customer, item.reply) for item in items]
    situations = [item.situation for item in items]
    agreements: dict[str, Agreement] = {}
    disagreements: list[Disagreement] = []
    for scale in SCALES:
        labels = [float(getattr(item, scale)) for item in items]
        scores = [float(getattr(result, scale)) for result in results]
        accuracy, pairs = pairwise_accuracy(situations, labels, scores)
        agreements[scale] = Agreement(spearman(labels, scores), accuracy, pairs)
        disagreements += _disagreements(items, scale, labels, scores)
    disagreements.sort(key=lambda d: -abs(d.score - d.expected_score))
    return Calibration(
        count=len(items),
        situations=len(set(situations)),
        empathy=agreements["empathy"],
        composure=agreements["composure"],
        disagreements=tuple(disagreements),
    )


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing the average of the ranks they span."""
    order = sorted(range(len(values)), key=lambda index: values[index])
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            result[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return result


def spearman(first: Sequence[float], second: Sequence[float]) -> float:
    """Spearman's rank correlation with ties averaged; 0.0 when either side never varies."""
    if len(first) != len(second):
        raise ValueError("both sides need one value per reply")
    first_ranks, second_ranks = ranks(first), ranks(second)
    count = len(first)
    if count < 2:
        return 0.0
    mean_first, mean_second = sum(first_ranks) / count, sum(second_ranks) / count
    covariance = sum(
        (a - mean_first) * (b - mean_second) for a, b in zip(first_ranks, second_ranks, strict=True)
    )
    spread_first = math.sqrt(sum((a - mean_first) ** 2 for a in first_ranks))
    spread_second = math.sqrt(sum((b - mean_second) ** 2 for b in second_ranks))
    if spread_first == 0 or spread_second == 0:
        return 0.0
    return covariance / (spread_first * spread_second)


def pairwise_accuracy(
    groups: Sequence[str], labels: Sequence[float], scores: Sequence[float]
) -> tuple[float, int]:
    """Share of same-group pairs with different labels that the scores order the same way.

    A tie in the scores counts as half right: the scorer did not tell the two apart.
    """
    members: dict[str, list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        members[group].append(index)
    right, pairs = 0.0, 0
    for indexes in members.values():
        for a, b in itertools.combinations(indexes, 2):
            if labels[a] == labels[b]:
                continue
            pairs += 1
            if scores[a] == scores[b]:
                right += 0.5
            elif (scores[a] > scores[b]) == (labels[a] > labels[b]):
                right += 1
    return (right / pairs if pairs else 0.0), pairs


def _disagreements(
    items: Sequence[LabelledReply], scale: str, labels: Sequence[float], scores: Sequence[float]
) -> list[Disagreement]:
    """Each reply against the mean score of all replies given the same label."""
    by_label: dict[float, list[float]] = defaultdict(list)
    for label, score in zip(labels, scores, strict=True):
        by_label[label].append(score)
    means = {label: sum(values) / len(values) for label, values in by_label.items()}
    return [
        Disagreement(item, scale, int(label), int(score), means[label])
        for item, label, score in zip(items, labels, scores, strict=True)
    ]
