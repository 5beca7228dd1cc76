"""Trains the scorer's learned layer on a labelled set: `python -m app.commands.train_scorer`.

Reads the tuning half of the labelled set (never the held-back half), scores every reply with the
rules alone, and fits one ridge regression per scale from the rules' findings and the reply's
word embeddings to the raters' median label. The penalty and the layer's share of the final
score are chosen by author-split cross-validation inside the tuning half: fit on one author's
replies, measure Spearman on the other's, both ways round, and keep the best mean. The chosen
model is then fitted on the whole tuning half and written to
`app/core/evaluation/learned_weights.json`, with the cross-validation figures beside it.
"""

from __future__ import annotations

import argparse
import itertools
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from app.commands.calibrate import read_labelled, shipped_concerns
from app.core.calibration import LabelledReply, spearman
from app.core.evaluation import evaluate, learned, semantic
from app.core.evaluation.learned import SCALES, Model, RuleView, Vector, features, fit, to_score

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SET = ROOT / "tests" / "data" / "scoring-tuning.jsonl"
PENALTIES = (30.0, 100.0, 300.0, 1000.0, 3000.0)
SHARES = (0.5, 0.7, 0.85, 1.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("labelled", nargs="?", default=str(DEFAULT_SET))
    parser.add_argument("--out", default=str(learned.WEIGHTS_FILE))
    args = parser.parse_args()
    if "held-back" in Path(args.labelled).name:
        parser.error("the layer is trained on the tuning half only")
    items = read_labelled(Path(args.labelled))
    learned.set_enabled(False)  # the layer learns from the rules alone
    rows, ruled = _rows(items)
    authors = sorted({item.author for item in items})
    if len(authors) < 2:
        parser.error("author-split cross-validation needs replies by at least two authors")
    stored: dict[str, object] = {"trained_on": Path(args.labelled).name, "replies": len(items)}
    for scale in SCALES:
        labels = [float(getattr(item, scale)) for item in items]
        rules_only = _cross_validated(items, rows, labels, ruled[scale], authors, 1.0, 0.0)
        best = max(
            itertools.product(PENALTIES, SHARES),
            key=lambda choice: _cross_validated(
                items, rows, labels, ruled[scale], authors, *choice
            ),
        )
        score = _cross_validated(items, rows, labels, ruled[scale], authors, *best)
        model = fit(rows, labels, best[0])
        stored[scale] = {
            **Model(model.mean, model.scale, model.weights, model.bias, best[1]).to_json(),
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


def _rows(items: Sequence[LabelledReply]) -> tuple[list[Vector], dict[str, list[int]]]:
    concerns = shipped_concerns()
    rows: list[Vector] = []
    ruled: dict[str, list[int]] = {scale: [] for scale in SCALES}
    semantic.warm_up()
    for item in items:
        result = evaluate(item.customer, item.reply, concerns.get(item.scenario or "", ()))
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


def _cross_validated(
    items: Sequence[LabelledReply],
    rows: Sequence[Vector],
    labels: Sequence[float],
    ruled: Sequence[int],
    authors: Sequence[str],
    penalty: float,
    share: float,
) -> float:
    """Mean Spearman on each author's replies of a model fitted on everyone else's."""
    figures = []
    for author in authors:
        train = [i for i, item in enumerate(items) if item.author != author]
        test = [i for i, item in enumerate(items) if item.author == author]
        model = fit([rows[i] for i in train], [labels[i] for i in train], penalty)
        scores = [
            share * to_score(model.predict(rows[i])) + (1 - share) * ruled[i] for i in test
        ]
        figures.append(spearman([labels[i] for i in test], scores))
    return float(np.mean(figures))


if __name__ == "__main__":
    raise SystemExit(main())
