"""Builds the labelled scoring set from the writers' pairs and the raters' labels.

Run by whoever prepares the data, never by whoever tunes the scorer:

    python tests/data/build_labelled_set.py PAIRS_DIR

PAIRS_DIR holds `pairs-<author>.jsonl` (the writers' text, with the kind of reply each writer meant)
and `rater-<name>.jsonl` (one `{"id", "empathy", "composure"}` line per pair from each rater). The
label of a pair is the median of its raters. Authors A and B become the tuning half, C and D the
held-back half, so that no writer of a tuning reply wrote a held-back one. Agreement between raters
is printed as Krippendorff's alpha (interval) and the mean pairwise Spearman correlation.
"""

from __future__ import annotations

import itertools
import json
import statistics
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from app.core.calibration import spearman

SCALES = ("empathy", "composure")
TUNING_AUTHORS = ("A", "B")
HELD_BACK_AUTHORS = ("C", "D")
HERE = Path(__file__).parent


def krippendorff_alpha_interval(units: list[list[float]]) -> float:
    """Krippendorff's alpha with the interval distance, for units rated by two or more raters."""
    pairable = [values for values in units if len(values) >= 2]
    total = sum(len(values) for values in pairable)
    observed = 0.0
    for values in pairable:
        pairs = sum((a - b) ** 2 for a, b in itertools.permutations(values, 2))
        observed += pairs / (len(values) - 1)
    observed /= total
    every_value = [value for values in pairable for value in values]
    expected = sum((a - b) ** 2 for a, b in itertools.permutations(every_value, 2))
    expected /= total * (total - 1)
    return 1.0 - observed / expected if expected else 1.0


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def main(pairs_dir: Path) -> None:
    pairs = [p for author in "ABCD" for p in read_jsonl(pairs_dir / f"pairs-{author}.jsonl")]
    raters = sorted(path.stem.removeprefix("rater-") for path in pairs_dir.glob("rater-*.jsonl"))
    labels = {
        rater: {str(row["id"]): row for row in read_jsonl(pairs_dir / f"rater-{rater}.jsonl")}
        for rater in raters
    }
    agreement: dict[str, dict[str, float]] = {}
    for scale in SCALES:
        units = [
            [float(labels[r][str(p["id"])][scale]) for r in raters if str(p["id"]) in labels[r]]
            for p in pairs
        ]
        pairwise = []
        for first, second in itertools.combinations(raters, 2):
            common = [str(p["id"]) for p in pairs if p["id"] in labels[first]]
            common = [i for i in common if i in labels[second]]
            pairwise.append(
                spearman(
                    [float(labels[first][i][scale]) for i in common],
                    [float(labels[second][i][scale]) for i in common],
                )
            )
        agreement[scale] = {
            "krippendorff_alpha_interval": round(krippendorff_alpha_interval(units), 3),
            "mean_pairwise_spearman": round(statistics.mean(pairwise), 3),
        }
    halves: dict[str, list[dict[str, Any]]] = {"tuning": [], "held-back": []}
    for pair in pairs:
        row = dict(pair)
        for scale in SCALES:
            votes = [int(labels[r][str(pair["id"])][scale]) for r in raters]
            row[scale] = int(statistics.median_low(votes))
            row[f"{scale}_raters"] = votes
        half = "tuning" if pair["author"] in TUNING_AUTHORS else "held-back"
        halves[half].append(row)
    for half, rows in halves.items():
        with (HERE / f"scoring-{half}.jsonl").open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    summary = {
        "raters": len(raters),
        "pairs": {half: len(rows) for half, rows in halves.items()},
        "agreement": agreement,
        "kinds": dict(Counter(str(p["kind"]) for p in pairs)),
        "label_counts": {
            scale: dict(
                sorted(Counter(int(r[scale]) for rs in halves.values() for r in rs).items())
            )
            for scale in SCALES
        },
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
