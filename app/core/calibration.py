"""How far the evaluator agrees with a trainer's labels on a set of replies.

Two figures per scale: Spearman's rank correlation over the whole set, and the share of pairs of
replies to the same situation that the scorer puts in the same order as the trainer. The second
is what a trainee experiences: of two answers to the same customer, the better one should score
higher.
"""

from __future__ import annotations

import itertools
import math
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from app.core.evaluation import ConcernCues, Evaluation, evaluate, semantic

LABEL_RANGE = range(0, 5)
SCALES = ("empathy", "composure")
MIN_REPLIES_FOR_COMPONENT = 10  # fewer than this gives no meaningful rank correlation


class CalibrationError(ValueError):
    """A labelled set that cannot be used, said in one line."""


@dataclass(frozen=True)
class LabelledReply:
    """A reply labelled 0-4 for empathy and composure by the rubric (the raters' median).

    `scenario` names the scenario whose concerns the reply is judged against (None for an
    everyday situation); `kind` is what its writer meant it to be ("good", "formula",
    "off-topic", "cut-off", "condescending", ...), "" when the set does not say.
    """

    id: str
    situation: str
    customer: str
    reply: str
    empathy: float
    composure: float
    author: str = ""
    scenario: str | None = None
    kind: str = ""

    @classmethod
    def from_json(cls, item: Mapping[str, object], where: str) -> LabelledReply:
        """Reads one labelled line; `where` names it in the message when it is malformed."""
        texts = {key: item.get(key) for key in ("id", "situation", "customer", "reply")}
        labels = {key: item.get(key) for key in SCALES}
        for key, value in texts.items():
            if not isinstance(value, str):
                raise CalibrationError(f'{where}: "{key}" must be text')
        for key, label in labels.items():
            if (
                not isinstance(label, int | float)
                or isinstance(label, bool)
                or not LABEL_RANGE.start <= label <= LABEL_RANGE.stop - 1
            ):
                raise CalibrationError(f'{where}: "{key}" must be a label from 0 to 4')
        for key in ("author", "scenario", "kind"):
            value = item.get(key)
            if value is not None and not isinstance(value, str):
                raise CalibrationError(f'{where}: "{key}" must be text or null')
        scenario = item.get("scenario")
        return cls(
            id=str(texts["id"]),
            situation=str(texts["situation"]),
            customer=str(texts["customer"]),
            reply=str(texts["reply"]),
            empathy=float(str(labels["empathy"])),
            composure=float(str(labels["composure"])),
            author=str(item.get("author") or ""),
            scenario=scenario if isinstance(scenario, str) and scenario else None,
            kind=normal_kind(str(item.get("kind") or "")),
        )


def normal_kind(kind: str) -> str:
    """ "Off_Topic", "off topic" and "off-topic" are one kind."""
    return "-".join(kind.lower().replace("_", " ").split())


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
    # Spearman of each component's score against the label of the scale it belongs to.
    components: Mapping[str, float] = field(default_factory=dict)
    # confusion[scale][label][level]: how many replies with that label scored in that level.
    confusion: Mapping[str, tuple[tuple[int, ...], ...]] = field(default_factory=dict)
    scores: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    milliseconds_per_reply: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "replies": self.count,
            "situations": self.situations,
            "empathy": self.empathy.to_json(),
            "composure": self.composure.to_json(),
            "components": {name: round(rho, 3) for name, rho in self.components.items()},
            "confusion": {
                scale: [list(row) for row in rows] for scale, rows in self.confusion.items()
            },
            "level_agreement": {
                scale: round(level_agreement(rows), 3) for scale, rows in self.confusion.items()
            },
            "milliseconds_per_reply": round(self.milliseconds_per_reply, 3),
        }


Scorer = Callable[[str, str], Evaluation]
ConcernsFor = Mapping[str, Sequence[ConcernCues]]


def calibrate(
    items: Sequence[LabelledReply],
    scorer: Scorer | None = None,
    concerns: ConcernsFor | None = None,
) -> Calibration:
    """Scores every labelled reply and measures agreement with the labels.

    Without a `scorer`, replies are scored by `evaluate`, against the concerns of their
    scenario when `concerns` (scenario id -> its concerns) holds it.
    """
    if not items:
        raise CalibrationError("no labelled replies to calibrate against")
    known = concerns or {}

    def score(item: LabelledReply) -> Evaluation:
        if scorer is not None:
            return scorer(item.customer, item.reply)
        return evaluate(item.customer, item.reply, known.get(item.scenario or "", ()))

    semantic.warm_up()  # loading the embeddings once is not part of scoring a reply
    started = time.perf_counter()
    results = [score(item) for item in items]
    elapsed = time.perf_counter() - started
    situations = [item.situation for item in items]
    agreements: dict[str, Agreement] = {}
    disagreements: list[Disagreement] = []
    confusion: dict[str, tuple[tuple[int, ...], ...]] = {}
    for scale in SCALES:
        labels = [float(getattr(item, scale)) for item in items]
        scores = [float(getattr(result, scale)) for result in results]
        accuracy, pairs = pairwise_accuracy(situations, labels, scores)
        agreements[scale] = Agreement(spearman(labels, scores), accuracy, pairs)
        disagreements += _disagreements(items, scale, labels, scores)
        confusion[scale] = confusion_table(labels, scores)
    disagreements.sort(key=lambda d: -abs(d.score - d.expected_score))
    return Calibration(
        count=len(items),
        situations=len(set(situations)),
        empathy=agreements["empathy"],
        composure=agreements["composure"],
        disagreements=tuple(disagreements),
        components=_component_agreement(items, results),
        confusion=confusion,
        scores={
            scale: tuple(int(getattr(result, scale)) for result in results) for scale in SCALES
        },
        milliseconds_per_reply=1000 * elapsed / len(items),
    )


def level(score: float) -> int:
    """The rubric level (0-4) a 0-100 score stands for: 0-19 is 0, ..., 80-100 is 4."""
    return min(4, max(0, int(score // 20)))


def confusion_table(
    labels: Sequence[float], scores: Sequence[float]
) -> tuple[tuple[int, ...], ...]:
    """rows[label][level]: a half label (a median of even raters) counts with the one below."""
    rows = [[0] * 5 for _ in range(5)]
    for label, score in zip(labels, scores, strict=True):
        rows[min(4, max(0, int(label)))][level(score)] += 1
    return tuple(tuple(row) for row in rows)


def level_agreement(rows: Sequence[Sequence[int]]) -> float:
    """The share of replies whose score falls in the level of their label."""
    total = sum(sum(row) for row in rows)
    return sum(rows[i][i] for i in range(len(rows))) / total if total else 0.0


def _component_agreement(
    items: Sequence[LabelledReply], results: Sequence[Evaluation]
) -> dict[str, float]:
    """Each component against its own scale's label, over the replies where it applies."""
    found: dict[str, tuple[str, list[float], list[float]]] = {}
    for item, result in zip(items, results, strict=True):
        for scale, parts in (
            ("empathy", result.empathy_components),
            ("composure", result.composure_components),
        ):
            for part in parts:
                _, labels, scores = found.setdefault(part.name, (scale, [], []))
                labels.append(float(getattr(item, scale)))
                scores.append(float(part.score))
    return {
        f"{scale}.{name}": spearman(labels, scores)
        for name, (scale, labels, scores) in found.items()
        if len(labels) >= MIN_REPLIES_FOR_COMPONENT
    }


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
