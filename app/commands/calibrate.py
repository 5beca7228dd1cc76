"""`skeptic calibrate FILE`: how far the scores agree with a trainer's labels.

Prints rank agreement per scale and per component, a confusion table of levels, the agreement
when a seeded share of words is misheard, how relevant replies fare against formulas written
for another customer, the mean empathy of off-topic replies, and how composure spreads.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from app.core import calibration_checks as checks
from app.core.calibration import (
    SCALES,
    Calibration,
    ConcernsFor,
    LabelledReply,
    calibrate,
    level_agreement,
)
from app.core.evaluation import learned, semantic
from app.core.scenario import load_scenarios
from app.errors import UserError
from app.paths import SHIPPED_SCENARIOS_DIR


def run_calibrate(args: argparse.Namespace) -> int:
    if args.rooms:
        if args.file:
            raise UserError("give either a labelled FILE or --rooms, not both")
        from app.commands.calibrate_rooms import run_calibrate_rooms

        return run_calibrate_rooms(args)
    if not args.file:
        raise UserError("give a labelled FILE, or --rooms to use the training rooms' ratings")
    if args.labels_out:
        raise UserError("--labels-out goes with --rooms")
    if not 0 <= args.errors < 1:
        raise UserError("--errors must be a share from 0 to 0.99, for example 0.1")
    items = read_labelled(Path(args.file))
    rules = _rules_alone(items, args) if args.compare_rules else None
    if args.rules_only:
        _use_rules_alone(True)
    report = _report(items, args)
    text = str(report.pop("_text"))
    if rules is not None:
        report["rules_alone"] = rules
        text += "\n" + _rules_text(rules)
    print(json.dumps(report) if args.json else text)
    return 0


def _rules_text(rules: dict[str, object]) -> str:
    """The rules-alone figures in one paragraph, for comparison."""
    parts = []
    for scale in SCALES:
        agreement = rules[scale]
        assert isinstance(agreement, dict)
        parts.append(f"{scale} Spearman {agreement['spearman']:.3f}")
    errors = rules["with_recogniser_errors"]
    if isinstance(errors, dict):
        parts.append(
            f"with misheard words {errors['empathy']['spearman']:.3f}"
            f" / {errors['composure']['spearman']:.3f}"
        )
    pairs = rules["formula_pairs"]
    if isinstance(pairs, dict):
        parts.append(f"relevant beats formula by 15+ in {pairs['share']:.1%} of pairs")
    if rules["off_topic_mean_empathy"] is not None:
        parts.append(f"off-topic mean empathy {rules['off_topic_mean_empathy']}")
    return "rules alone, for comparison: " + "; ".join(parts)


def _use_rules_alone(alone: bool) -> None:
    semantic.set_enabled(not alone)
    learned.set_enabled(not alone)


def _rules_alone(items: list[LabelledReply], args: argparse.Namespace) -> dict[str, object]:
    """The same figures by the rules alone, without embeddings or the learned layer."""
    _use_rules_alone(True)
    try:
        report = _report(items, args)
    finally:
        _use_rules_alone(False)
    report.pop("_text")
    return {
        key: report[key]
        for key in (
            "empathy",
            "composure",
            "with_recogniser_errors",
            "formula_pairs",
            "off_topic_mean_empathy",
            "level_agreement",
        )
    }


def _report(items: list[LabelledReply], args: argparse.Namespace) -> dict[str, object]:
    concerns = shipped_concerns()
    result = calibrate(items, concerns=concerns)
    noisy = (
        calibrate(checks.with_recogniser_errors(items, args.errors, args.seed), concerns=concerns)
        if args.errors
        else None
    )
    pairs = checks.formula_pairs(items, concerns)
    off_topic = checks.off_topic_mean(items, result.scores["empathy"])
    report = {
        **result.to_json(),
        "with_recogniser_errors": (
            {
                "rate": args.errors,
                "seed": args.seed,
                "empathy": noisy.empathy.to_json(),
                "composure": noisy.composure.to_json(),
            }
            if noisy
            else None
        ),
        "formula_pairs": pairs.to_json() if pairs else None,
        "off_topic_mean_empathy": None if off_topic is None else round(off_topic, 1),
        "composure_distribution": checks.distribution(result.scores["composure"]),
        "empathy_distribution": checks.distribution(result.scores["empathy"]),
        "kinds": checks.kind_means(items, dict(result.scores)),
        "embeddings": semantic.available(),
        "learned_layer": learned.models() is not None,
    }
    report["_text"] = _as_text(result, noisy, report, args.file, args.worst)
    return report


def shipped_concerns() -> ConcernsFor:
    """Each shipped scenario's concerns, by scenario id."""
    scenarios, _errors = load_scenarios([SHIPPED_SCENARIOS_DIR])
    return {scenario.id: scenario.concerns for scenario in scenarios}


def read_labelled(path: Path) -> list[LabelledReply]:
    """Every labelled reply of a JSONL file; a bad line stops with its line number."""
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise UserError(f"{where}: not JSON ({error.msg})") from None
        if not isinstance(item, dict):
            raise UserError(f"{where}: expected an object with a reply and its labels")
        items.append(LabelledReply.from_json(item, where))
    if not items:
        raise UserError(f"{path}: no labelled replies")
    return items


def _as_text(
    result: Calibration,
    noisy: Calibration | None,
    report: dict[str, object],
    source: str,
    worst: int,
) -> str:
    how = (
        "rules, word embeddings and the learned layer"
        if report["learned_layer"]
        else "rules and word embeddings"
        if report["embeddings"]
        else "rules alone"
    )
    lines = [
        f"{source}: {result.count} replies in {result.situations} situations (scored by {how})",
        f"{'':10} {'Spearman':>9} {'pairwise':>9} {'pairs':>6} {'level':>6}",
    ]
    for name in SCALES:
        agreement = getattr(result, name)
        lines.append(
            f"{name:10} {agreement.spearman:9.3f} {agreement.pairwise_accuracy:9.3f}"
            f" {agreement.pairs:6d} {level_agreement(result.confusion[name]):6.3f}"
        )
    if noisy is not None:
        errors = report["with_recogniser_errors"]
        assert isinstance(errors, dict)
        lines.append(
            f"with {errors['rate']:.0%} of words misheard (seed {errors['seed']}):"
            f" empathy {noisy.empathy.spearman:.3f}, composure {noisy.composure.spearman:.3f}"
        )
    lines.append(f"scoring: {result.milliseconds_per_reply:.2f} ms per reply")
    lines += _confusion_text(result)
    lines.append("Components (Spearman with their scale's label):")
    lines += [f"  {name:36} {rho:6.3f}" for name, rho in result.components.items()]
    pairs = report["formula_pairs"]
    if isinstance(pairs, dict):
        lines.append(
            f"relevant vs formula for another customer: {pairs['clear_wins']}/{pairs['pairs']}"
            f" pairs won by {checks.CLEAR_MARGIN}+ points ({pairs['share']:.1%});"
            f" mean empathy {pairs['mean_relevant_empathy']} vs {pairs['mean_formula_empathy']}"
        )
    if report["off_topic_mean_empathy"] is not None:
        lines.append(f"off-topic replies: mean empathy {report['off_topic_mean_empathy']}")
    for scale in ("composure", "empathy"):
        bands = report[f"{scale}_distribution"]
        assert isinstance(bands, list)
        lines.append(f"{scale} scores by band of 10 (0-9 ... 90-100): {_bands(bands)}")
    kinds = report["kinds"]
    assert isinstance(kinds, dict)
    if len(kinds) > 1:
        lines.append(f"{'kind':22} {'n':>4} {'emp':>5} {'label':>5} {'comp':>5} {'label':>5}")
        for kind, row in kinds.items():
            lines.append(
                f"{kind[:22]:22} {row['replies']:4.0f} {row['empathy_score']:5.0f}"
                f" {row['empathy_label']:5.1f} {row['composure_score']:5.0f}"
                f" {row['composure_label']:5.1f}"
            )
    if worst:
        lines.append("Furthest from their label (score against the mean score of that label):")
        for miss in result.disagreements[:worst]:
            lines.append(
                f"  {miss.item.id} {miss.scale} label {miss.label}: {miss.score}"
                f" (label mean {miss.expected_score:.0f})  {miss.item.reply}"
            )
    return "\n".join(lines)


def _confusion_text(result: Calibration) -> list[str]:
    lines = []
    for scale in SCALES:
        lines.append(f"{scale}: rows are labels 0-4, columns the levels scored (0-19 ... 80-100)")
        for label, row in enumerate(result.confusion[scale]):
            lines.append(f"  {label}: " + " ".join(f"{count:4d}" for count in row))
    return lines


def _bands(bands: Sequence[int]) -> str:
    return " ".join(str(count) for count in bands)
