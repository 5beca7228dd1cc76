"""Trains the scorer's learned layer on a labelled set: `python -m app.commands.train_scorer`.

Reads the tuning half of the labelled set (never the held-back half) and fits, by closed-form
ridge regression (the same data always gives the same weights):

1. a judgement of relevance, from the rules' view of relevance and the meaning of the reply
   beside the meaning of the line, on the replies written to answer the line (1) against the
   formulas written for another concern and the off-topic replies (0);
2. one model per scale, from every rule component (relevance judged as in 1) and the reply's
   word embeddings, to the raters' median label.

Penalties, and the layer's share of the final score, are chosen by author-split
cross-validation inside the tuning half: fit on one author's replies (relevance included),
measure on the other's, both ways round, keep the best mean. The chosen models are then fitted
on the whole tuning half and written to `app/core/evaluation/learned_weights.json`, with the
cross-validation figures beside them.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from app.commands.calibrate import read_labelled, shipped_concerns
from app.core.calibration import ConcernsFor, LabelledReply, spearman
from app.core.evaluation import ConcernCues, evaluate, learned, scorer, semantic
from app.core.evaluation.concerns import addressed_concerns
from app.core.evaluation.customer import read_customer
from app.core.evaluation.learned import SCALES, Model, RuleView, Vector, combine, features, fit
from app.core.evaluation.reading import Reply
from app.core.evaluation.relevance import measure_relevance, relevance_features

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SET = ROOT / "tests" / "data" / "scoring-tuning.jsonl"
PENALTIES = (30.0, 100.0, 300.0, 1000.0, 3000.0)
SHARES = (0.5, 0.7, 0.85, 1.0)
RELEVANT_PREFIX = "relevant"
IRRELEVANT_KINDS = frozenset({"formula-other", "off-topic"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("labelled", nargs="?", default=str(DEFAULT_SET))
    parser.add_argument("--out", default=str(learned.WEIGHTS_FILE))
    args = parser.parse_args()
    if "held-back" in Path(args.labelled).name:
        parser.error("the layer is trained on the tuning half only")
    items = read_labelled(Path(args.labelled))
    authors = sorted({item.author for item in items})
    if len(authors) < 2:
        parser.error("author-split cross-validation needs replies by at least two authors")
    learned.set_enabled(False)  # the layer learns from the rules alone
    semantic.warm_up()
    concerns = shipped_concerns()
    stored: dict[str, object] = {"trained_on": Path(args.labelled).name, "replies": len(items)}

    relevance_rows, relevant, chosen = _relevance_data(items, concerns)
    penalty = max(PENALTIES, key=lambda p: _relevance_accuracy(relevance_rows, relevant, chosen, p))
    accuracy = _relevance_accuracy(relevance_rows, relevant, chosen, penalty)
    relevance_model = fit(relevance_rows, relevant, penalty)
    stored["relevance"] = {
        **relevance_model.to_json(),
        "penalty": penalty,
        "author_split_accuracy": round(accuracy, 3),
    }
    print(f"relevance: penalty {penalty:g}, author-split accuracy {accuracy:.3f}")

    # Each author's replies scored by rules whose relevance judgement never saw that author.
    folds = {}
    for author in authors:
        keep = [i for i, item in enumerate(chosen) if item.author != author]
        learned.use_relevance_model(
            fit([relevance_rows[i] for i in keep], [relevant[i] for i in keep], penalty)
        )
        folds[author] = _rows(items, concerns)
    learned.use_relevance_model(relevance_model)
    rows, _ruled = _rows(items, concerns)
    for scale in SCALES:
        labels = [float(getattr(item, scale)) for item in items]
        rules_only = _cross_validated(items, folds, labels, scale, 1.0, 0.0)
        best = max(
            itertools.product(PENALTIES, SHARES),
            key=lambda choice: _cross_validated(items, folds, labels, scale, *choice),
        )
        score = _cross_validated(items, folds, labels, scale, *best)
        model = fit(rows, labels, best[0])
        stretch = _stretch(items, folds, labels, best[0])
        final = Model(model.mean, model.scale, model.weights, model.bias, best[1], stretch)
        stored[scale] = {
            **final.to_json(),
            "penalty": best[0],
            "author_split_spearman": round(score, 3),
            "rules_alone_author_split_spearman": round(rules_only, 3),
        }
        print(
            f"{scale}: penalty {best[0]:g}, layer share {best[1]:g}: author-split Spearman"
            f" {score:.3f} (rules alone {rules_only:.3f})"
        )
    Path(args.out).write_text(json.dumps(stored) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def _relevance_data(
    items: Sequence[LabelledReply], concerns: ConcernsFor
) -> tuple[list[Vector], list[float], list[LabelledReply]]:
    """Replies written to answer their line (1) or not (0), as the relevance model reads them."""
    learned.use_relevance_model(None)
    rows: list[Vector] = []
    targets: list[float] = []
    chosen: list[LabelledReply] = []
    for item in items:
        if not (item.kind.startswith(RELEVANT_PREFIX) or item.kind in IRRELEVANT_KINDS):
            continue
        reply, customer = Reply(item.reply), read_customer(item.customer)
        addressed = addressed_concerns(reply, concerns.get(item.scenario or "", ()))
        judged = measure_relevance(reply, customer, addressed)
        row = relevance_features(
            reply, customer, judged.score, len(addressed), len(judged.echoed), judged.stock_share
        )
        if row is None:
            raise SystemExit("the word embeddings are not installed: pip install wordllama")
        rows.append(row)
        targets.append(1.0 if item.kind.startswith(RELEVANT_PREFIX) else 0.0)
        chosen.append(item)
    return rows, targets, chosen


def _relevance_accuracy(
    rows: Sequence[Vector], targets: Sequence[float], items: Sequence[LabelledReply], penalty: float
) -> float:
    """Mean share right on each author's replies of a model fitted on everyone else's."""
    shares = []
    for author in sorted({item.author for item in items}):
        train = [i for i, item in enumerate(items) if item.author != author]
        test = [i for i, item in enumerate(items) if item.author == author]
        model = fit([rows[i] for i in train], [targets[i] for i in train], penalty)
        right = [(model.predict(rows[i]) > 0.5) == (targets[i] > 0.5) for i in test]
        shares.append(sum(right) / len(right))
    return float(np.mean(shares))


def _rows(
    items: Sequence[LabelledReply], concerns: ConcernsFor
) -> tuple[list[Vector], dict[str, list[int]]]:
    rows: list[Vector] = []
    ruled: dict[str, list[int]] = {key: [] for scale in SCALES for key in (scale, f"{scale}_limit")}
    for item in items:
        cues = concerns.get(item.scenario or "", ())
        result = evaluate(item.customer, item.reply, cues)
        for scale, limit in _limits(item, cues).items():
            ruled[f"{scale}_limit"].append(limit)
        view = RuleView(
            {c.name: c.score for c in (*result.empathy_components, *result.composure_components)},
            result.empathy,
            result.composure,
            result.signals,
        )
        row = features(item.customer, item.reply, view)
        if row is None:
            raise SystemExit("the word embeddings are not installed: pip install wordllama")
        rows.append(row)
        for scale in SCALES:
            ruled[scale].append(getattr(result, scale))
    return rows, ruled


def _limits(item: LabelledReply, cues: Sequence[ConcernCues]) -> dict[str, int]:
    """The limits the rules' surest findings set on this reply (see `sure_limits`)."""
    found = scorer.rule_limits(item.customer, item.reply, cues)
    return {scale: found.get(scale, 100) for scale in SCALES}


def _cross_validated(
    items: Sequence[LabelledReply],
    folds: dict[str, tuple[list[Vector], dict[str, list[int]]]],
    labels: Sequence[float],
    scale: str,
    penalty: float,
    share: float,
) -> float:
    """Mean Spearman on each author's replies of a model fitted on everyone else's."""
    figures = []
    for author, (rows, ruled) in folds.items():
        train = [i for i, item in enumerate(items) if item.author != author]
        test = [i for i, item in enumerate(items) if item.author == author]
        model = replace(
            fit([rows[i] for i in train], [labels[i] for i in train], penalty), share=share
        )
        scores = [
            combine(model, model.predict(rows[i]), ruled[scale][i], ruled[f"{scale}_limit"][i])
            for i in test
        ]
        figures.append(spearman([labels[i] for i in test], scores))
    return float(np.mean(figures))


def _stretch(
    items: Sequence[LabelledReply],
    folds: dict[str, tuple[list[Vector], dict[str, list[int]]]],
    labels: Sequence[float],
    penalty: float,
) -> float:
    """How much the cross-validated predictions must be stretched to spread like the labels."""
    centred: list[float] = []
    for author, (rows, _ruled) in folds.items():
        train = [i for i, item in enumerate(items) if item.author != author]
        model = fit([rows[i] for i in train], [labels[i] for i in train], penalty)
        centred += [
            model.predict(rows[i]) - model.bias
            for i, item in enumerate(items)
            if item.author == author
        ]
    return float(np.std(labels) / (np.std(centred) + 1e-9))


if __name__ == "__main__":
    raise SystemExit(main())
