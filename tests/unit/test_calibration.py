"""Agreement between the scores and a trainer's labels, on the shipped labelled set."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from app.cli import main
from app.commands.calibrate import read_labelled, shipped_concerns
from app.core.calibration import (
    CalibrationError,
    LabelledReply,
    calibrate,
    pairwise_accuracy,
    ranks,
    spearman,
)
from app.core.calibration_checks import distribution, formula_pairs, with_recogniser_errors
from app.core.evaluation import Evaluation

DATA = Path(__file__).resolve().parents[1] / "data"
TUNING = DATA / "replies-tuning.jsonl"
HELD_BACK = DATA / "replies-held-back.jsonl"
SCORING_TUNING = DATA / "scoring-tuning.jsonl"
SITUATIONS = {
    "unrecognised-charge",
    "scam-call",
    "personal-data",
    "refund-missing",
    "upsell",
    "locked-account",
    "warranty-denied",
    "phishing-text",
    "price-rise",
    "abusive-customer",
}


def test_ties_share_the_average_rank() -> None:
    assert ranks([10.0, 30.0, 20.0, 20.0]) == [1.0, 4.0, 2.5, 2.5]


def test_spearman_matches_the_textbook_values() -> None:
    assert spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) == pytest.approx(0.8207826816681233)
    assert spearman([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0)
    assert spearman([1, 1, 1], [1, 2, 3]) == 0.0


def test_pairwise_accuracy_compares_only_replies_to_the_same_situation() -> None:
    groups = ["a", "a", "a", "b", "b"]
    labels = [0.0, 2.0, 4.0, 1.0, 3.0]
    # Within "a" one pair of three is reversed; "b" is tied (half right). Pairs across
    # situations are never compared.
    scores = [10.0, 50.0, 40.0, 70.0, 70.0]

    accuracy, pairs = pairwise_accuracy(groups, labels, scores)

    assert pairs == 4
    assert accuracy == pytest.approx((2 + 0.5) / 4)


def test_the_labelled_set_covers_every_situation_and_the_whole_scale() -> None:
    tuning, held_back = read_labelled(TUNING), read_labelled(HELD_BACK)
    everything = tuning + held_back

    assert len(everything) >= 150
    assert {item.situation for item in everything} == SITUATIONS
    assert {item.situation for item in held_back} == SITUATIONS
    assert len({item.id for item in everything}) == len(everything)
    for scale in ("empathy", "composure"):
        counts = Counter(getattr(item, scale) for item in everything)
        assert set(counts) == {0, 1, 2, 3, 4}, scale
    # The documented split: every third reply of a situation is held back.
    assert all(int(item.id.rsplit("-", 1)[1]) % 3 == 0 for item in held_back)
    assert not any(int(item.id.rsplit("-", 1)[1]) % 3 == 0 for item in tuning)


def test_the_scorer_agrees_with_the_labels_of_the_earlier_set() -> None:
    result = calibrate(read_labelled(HELD_BACK))

    # The figures reported in docs/evaluation.md (a regression check, not an honest measure:
    # one person wrote, labelled and tuned on it); a change that lowers them shows here.
    assert result.empathy.spearman >= 0.50
    assert result.composure.spearman >= 0.75
    assert result.composure.pairwise_accuracy >= 0.80


def test_the_scorer_fits_the_tuning_half_of_the_scoring_set() -> None:
    items = read_labelled(SCORING_TUNING)
    result = calibrate(items, concerns=shipped_concerns())

    # The learned layer was fitted on this half: the figure guards the shipped weights and the
    # rules they read, not how well the scorer generalises (docs/evaluation.md has that).
    assert result.empathy.spearman >= 0.85
    assert result.composure.spearman >= 0.85
    assert len(result.confusion["empathy"]) == 5
    assert sum(map(sum, result.confusion["composure"])) == len(items)
    assert {"empathy.relevance", "composure.complete"} <= set(result.components)


def test_the_scoring_set_is_split_by_author() -> None:
    tuning = read_labelled(SCORING_TUNING)

    assert len(tuning) == 400
    assert {item.author for item in tuning} == {"A", "B"}
    assert {item.kind for item in tuning} >= {"formula-other", "off-topic", "cut-off"}
    # The held-back half is never read here: it is run once, by hand, to report it.


def test_simulated_recogniser_errors_are_seeded_and_touch_about_one_word_in_ten() -> None:
    items = read_labelled(SCORING_TUNING)[:120]
    first = with_recogniser_errors(items, 0.1, seed=3)
    again = with_recogniser_errors(items, 0.1, seed=3)
    other = with_recogniser_errors(items, 0.1, seed=4)

    assert [i.reply for i in first] == [i.reply for i in again]
    assert [i.reply for i in first] != [i.reply for i in other]
    words = sum(len(i.reply.split()) for i in items)
    changed = sum(
        sum(a != b for a, b in zip(i.reply.split(), j.reply.split(), strict=False))
        + abs(len(i.reply.split()) - len(j.reply.split()))
        for i, j in zip(items, first, strict=True)
    )
    assert 0.05 * words < changed
    assert all(
        i.empathy == j.empathy and i.customer == j.customer
        for i, j in zip(items, first, strict=True)
    )


def test_relevant_replies_beat_formulas_written_to_the_same_customer() -> None:
    items = read_labelled(SCORING_TUNING)
    pairs = formula_pairs(items, shipped_concerns())

    assert pairs is not None and pairs.pairs == 120
    assert pairs.share >= 0.9
    assert pairs.mean_relevant - pairs.mean_formula >= 15


def test_composure_spreads_over_the_whole_range_of_the_scoring_set() -> None:
    result = calibrate(read_labelled(SCORING_TUNING), concerns=shipped_concerns())
    bands = distribution(result.scores["composure"], width=20)

    assert all(count > 0 for count in bands), bands


def test_a_scorer_that_ignores_the_reply_agrees_with_nothing() -> None:
    def constant(_customer: str, _reply: str) -> Evaluation:
        return Evaluation(empathy=50, composure=50, evidence=(), tips=())

    result = calibrate(read_labelled(HELD_BACK), constant)

    assert result.empathy.spearman == 0.0
    assert result.empathy.pairwise_accuracy == 0.5


def test_calibrate_prints_both_figures_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", str(HELD_BACK)]) == 0
    text = capsys.readouterr().out
    assert "empathy" in text and "composure" in text and "Spearman" in text
    assert "misheard (seed 11)" in text and "rows are labels 0-4" in text
    assert "Components" in text and "ms per reply" in text

    assert main(["calibrate", str(HELD_BACK), "--json", "--errors", "0.2", "--seed", "5"]) == 0
    shape = json.loads(capsys.readouterr().out)
    assert shape["replies"] == 60
    assert set(shape["empathy"]) == {"spearman", "pairwise_accuracy", "pairs"}
    assert shape["with_recogniser_errors"]["rate"] == 0.2
    assert shape["with_recogniser_errors"]["seed"] == 5
    assert len(shape["confusion"]["composure"]) == 5
    assert sum(shape["composure_distribution"]) == 60
    assert shape["formula_pairs"] is None  # the earlier set marks no kinds


def test_calibrate_compares_with_the_rules_alone(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", str(HELD_BACK), "--errors", "0", "--compare-rules"]) == 0
    text = capsys.readouterr().out
    assert "rules alone" in text


def test_a_bad_error_share_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", str(HELD_BACK), "--errors", "1.5"]) == 2
    assert "--errors" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not JSON"),
        (
            '{"id": "x", "situation": "s", "customer": "c", "reply": "r", "empathy": 7, '
            '"composure": 1}',
            '"empathy" must be a label from 0 to 4',
        ),
        (
            '{"id": "x", "situation": "s", "customer": "c", "empathy": 1, "composure": 1}',
            '"reply" must be text',
        ),
    ],
)
def test_a_bad_labelled_line_is_named_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text(line + "\n", encoding="utf-8")

    assert main(["calibrate", str(path)]) == 2
    error = capsys.readouterr().err
    assert f"{path}:1" in error and message in error
    assert len(error.strip().splitlines()) == 1


def test_an_empty_set_cannot_be_calibrated() -> None:
    with pytest.raises(CalibrationError):
        calibrate([])
    assert (
        LabelledReply.from_json(
            {
                "id": "a",
                "situation": "s",
                "customer": "c",
                "reply": "r",
                "empathy": 0,
                "composure": 4,
            },
            "here",
        ).composure
        == 4
    )
