"""The learned layer: shipped weights, offline, deterministic, fast, and its evidence still the
trainee's own words."""

from __future__ import annotations

import json

import numpy as np

from app.core.evaluation import evaluate, learned
from app.core.evaluation.learned import WEIGHTS_FILE, fit, to_score

CUSTOMER = "I was promised a refund three weeks ago and it still isn't in my account. Where is it?"
ANSWER = (
    "I'm sorry it's taken three weeks. I can see the refund was approved on Monday; "
    "I'll chase the payments team today and call you by five with a date."
)


def test_the_weights_ship_in_the_repository_trained_on_the_tuning_half_only() -> None:
    stored = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))

    assert stored["trained_on"] == "scoring-tuning.jsonl"
    assert {"empathy", "composure", "relevance"} <= set(stored)
    for scale in ("empathy", "composure"):
        # Cross-validated by author inside the tuning half, and better than the rules alone.
        assert (
            stored[scale]["author_split_spearman"]
            > (stored[scale]["rules_alone_author_split_spearman"])
        )
    assert learned.models() is not None


def test_the_layer_changes_the_scores_and_switching_it_off_gives_the_rules() -> None:
    with_layer = evaluate(CUSTOMER, ANSWER)
    learned.set_enabled(False)
    try:
        rules = evaluate(CUSTOMER, ANSWER)
    finally:
        learned.set_enabled(True)

    assert (with_layer.empathy, with_layer.composure) != (rules.empathy, rules.composure)
    # The evidence is the rules' quotes of the trainee's own words either way.
    assert with_layer.evidence == rules.evidence
    assert all(
        line.split('" - ')[0].strip('"') in ANSWER for line in rules.evidence if '" - ' in line
    )


def test_scores_are_deterministic_and_in_range() -> None:
    first = evaluate(CUSTOMER, ANSWER)
    assert evaluate(CUSTOMER, ANSWER) == first
    for reply in ("No.", "I'm so sorry, that's awful.", "Check the bins.", ANSWER * 5):
        result = evaluate(CUSTOMER, reply)
        assert 0 <= result.empathy <= 100 and 0 <= result.composure <= 100


def test_a_reply_scored_on_its_own_is_scored_by_the_rules() -> None:
    on_its_own = evaluate("", ANSWER)
    learned.set_enabled(False)
    try:
        assert evaluate("", ANSWER) == on_its_own
    finally:
        learned.set_enabled(True)


def test_ridge_regression_recovers_a_linear_rule() -> None:
    generator = np.random.default_rng(7)
    rows = [generator.normal(size=4) for _ in range(200)]
    labels = [2 + row[0] - 0.5 * row[2] for row in rows]
    model = fit(rows, labels, penalty=0.01)

    assert abs(model.predict(np.array([1.0, 0.0, 0.0, 0.0])) - 3.0) < 0.05
    assert to_score(4.2) == 100 and to_score(-1) == 0 and to_score(2.0) == 50
