"""`skeptic calibrate FILE`: how far the scores agree with a trainer's labels."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.core.calibration import Calibration, LabelledReply, calibrate
from app.errors import UserError


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
    items = read_labelled(Path(args.file))
    result = calibrate(items)
    if args.json:
        print(json.dumps(result.to_json()))
    else:
        print(_as_text(result, args.file, args.worst))
    return 0


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


def _as_text(result: Calibration, source: str, worst: int) -> str:
    lines = [
        f"{source}: {result.count} replies in {result.situations} situations",
        f"{'':10} {'Spearman':>9} {'pairwise':>9} {'pairs':>6}",
    ]
    for name, agreement in (("empathy", result.empathy), ("composure", result.composure)):
        lines.append(
            f"{name:10} {agreement.spearman:9.3f} {agreement.pairwise_accuracy:9.3f}"
            f" {agreement.pairs:6d}"
        )
    if worst:
        lines.append("Furthest from their label (score against the mean score of that label):")
        for miss in result.disagreements[:worst]:
            lines.append(
                f"  {miss.item.id} {miss.scale} label {miss.label}: {miss.score}"
                f" (label mean {miss.expected_score:.0f})  {miss.item.reply}"
            )
    return "\n".join(lines)
