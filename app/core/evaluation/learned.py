"""A learned layer over the rules: ridge regression from what the rules found and what the
reply means to the rubric's label, where phrase lists do not reach.

The rules see phrasings their authors wrote; trainees say things in a thousand other ways
("Check the bins.", "It says pending because it's pending."). A linear model over the rules'
component scores and the reply's static word embeddings (see `semantic`) learns from labelled
replies how such wording lands. It is small (about a thousand weights, in
`learned_weights.json`), runs in well under a millisecond, and is trained by
`python -m app.commands.train_scorer` on the tuning half of the labelled set only.

Evidence still quotes the trainee: each sentence is also scored on its own, and the sentence the
layer finds coldest is quoted when it pulls composure down.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from app.core.evaluation import semantic

WEIGHTS_FILE: Final = Path(__file__).with_name("learned_weights.json")
Vector = npt.NDArray[np.float64]
# Rule components read by the layer, in a fixed order; one that does not apply to a reply (no
# question asked, no abuse to answer) reads as NOT_APPLICABLE.
FEATURE_COMPONENTS: Final = (
    "acknowledges_feeling",
    "validates",
    "apology",
    "active_listening",
    "answers_question",
    "transparency",
    "next_step",
    "checks_understanding",
    "safety",
    "respect",
    "relevance",
    "calm_wording",
    "no_shouting",
    "not_defensive",
    "concise",
    "self_assured",
    "few_fillers",
    "respectful_tone",
    "complete",
    "clear",
    "boundary",
)
NOT_APPLICABLE = 1.0
SCALES: Final = ("empathy", "composure")
_enabled = True
_relevance_override: tuple[Model | None] | None = None


def set_enabled(enabled: bool) -> None:
    """Switches the layer off (rules alone) or back on, to compare the two."""
    global _enabled
    _enabled = enabled
    models.cache_clear()


def use_relevance_model(model: Model | None) -> None:
    """Judges relevance with this model (None: by the rules) instead of the shipped one, to
    train and cross-validate the layer."""
    global _relevance_override
    _relevance_override = (model,)


def relevance(x: Vector | None) -> float | None:
    """The learned chance (0-1) that a reply answers the customer, None when not available."""
    if x is None:
        return None
    if _relevance_override is not None:
        model = _relevance_override[0]
    else:
        shipped = models()
        model = shipped.get("relevance") if shipped else None
    if model is None or x.shape != model.mean.shape:
        return None
    return max(0.0, min(1.0, model.predict(x)))


@dataclass(frozen=True)
class RuleView:
    """What the rules found in one reply, as the layer reads it."""

    components: Mapping[str, int]
    empathy: int
    composure: int
    signals: frozenset[str]


def features(customer_line: str, reply: str, rules: RuleView) -> Vector | None:
    """The layer's input for one reply; None without the embeddings."""
    said = semantic.embed(reply)
    heard = semantic.embed(customer_line)
    if said is None or heard is None:
        return None  # trained on replies to a line: a reply scored on its own gets the rules
    parts = [rules.components.get(name, NOT_APPLICABLE * 100) / 100 for name in FEATURE_COMPONENTS]
    words = len(reply.split())
    extra = [
        rules.empathy / 100,
        rules.composure / 100,
        math.log1p(words) / 5,
        reply.count("?") / 3,
        float(said @ heard),
        *(float(signal in rules.signals) for signal in ("formula", "off_topic", "cut_off")),
    ]
    return np.concatenate([parts, extra, said, said * heard]).astype(np.float64)


@dataclass(frozen=True)
class Model:
    """Ridge regression for one scale: standardise, then a weighted sum, on the 0-4 labels."""

    mean: Vector
    scale: Vector
    weights: Vector
    bias: float
    share: float = 1.0  # how much of the final score is the layer's; the rest is the rules'
    # Ridge regression pulls predictions towards the mean; this stretches them back to the
    # spread of the labels (it changes no ranking, only which level a score falls in).
    stretch: float = 1.0

    def predict(self, x: Vector) -> float:
        return float(self.stretch * (((x - self.mean) / self.scale) @ self.weights) + self.bias)

    def to_json(self) -> dict[str, object]:
        return {
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "bias": round(self.bias, 6),
            "share": self.share,
            "stretch": round(self.stretch, 4),
        }


def fit(rows: Sequence[Vector], labels: Sequence[float], penalty: float) -> Model:
    """Closed-form ridge regression: the same data always gives the same weights."""
    x = np.array(rows)
    y = np.array(labels, dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    z = (x - mean) / scale
    weights = np.linalg.solve(z.T @ z + penalty * np.eye(z.shape[1]), z.T @ (y - y.mean()))
    return Model(mean, scale, weights, float(y.mean()))


@lru_cache(maxsize=1)
def models() -> dict[str, Model] | None:
    """The shipped models by scale, or None when there are none (or no embeddings)."""
    if not _enabled or not WEIGHTS_FILE.is_file() or not semantic.available():
        return None
    stored = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    found = {}
    for scale in (*SCALES, "relevance"):
        part = stored.get(scale)
        if not isinstance(part, dict):
            return None
        found[scale] = Model(
            np.array(part["mean"]),
            np.array(part["scale"]),
            np.array(part["weights"]),
            float(part["bias"]),
            float(part.get("share", 1.0)),
            float(part.get("stretch", 1.0)),
        )
    return found


def blended(
    customer_line: str, reply: str, rules: RuleView, limits: Mapping[str, int]
) -> dict[str, int] | None:
    """Each scale's 0-100 score: the layer's share of its prediction and the rest the rules',
    held under the limits the rules' surest findings set (hostility, a change of subject);
    None when the layer is not available."""
    shipped = models() if _enabled else None
    if shipped is None:
        return None
    x = features(customer_line, reply, rules)
    if x is None or x.shape != shipped["empathy"].mean.shape:
        return None
    ruled = {"empathy": rules.empathy, "composure": rules.composure}
    return {
        scale: combine(model, model.predict(x), ruled[scale], limits.get(scale, 100))
        for scale, model in shipped.items()
        if scale in SCALES
    }


def combine(model: Model, prediction: float, ruled: int, limit: int) -> int:
    """The final score from the layer's prediction (a 0-4 label) and the rules' score."""
    mixed = model.share * to_score(prediction) + (1 - model.share) * ruled
    return round(min(mixed, limit))


def to_score(label: float) -> int:
    """A 0-4 label as a 0-100 score, in the middle of its level (2.0 reads as 50)."""
    return round(max(0.0, min(100.0, label * 25)))
