"""`skeptic score`: evaluate replies without a call, for trainers and for checking the scorer."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.core.evaluation import evaluate
from app.core.evaluation.result import Evaluation
from app.errors import UserError


def run_score(args: argparse.Namespace) -> int:
    if args.jsonl:
        return _score_jsonl(args.jsonl)
    if args.customer is None or args.reply is None:
        raise UserError("score needs --customer TEXT and --reply TEXT, or --jsonl FILE")
    if not args.reply.strip():
        raise UserError("the reply is empty: give the words the trainee said")
    evaluation = evaluate(args.customer, args.reply)
    if args.json:
        print(json.dumps(evaluation.to_json(), ensure_ascii=False))
    else:
        print(_as_text(evaluation))
    return 0


def _score_jsonl(source: str) -> int:
    """One output line per input line, in order; a bad line stops with its line number."""
    if source == "-":
        _write_scores(sys.stdin.buffer, source)
        return 0
    path = Path(source)
    if not path.is_file():
        raise UserError(f"{source}: no such file")
    with path.open("rb") as lines:
        _write_scores(lines, source)
    return 0


def _write_scores(lines: BinaryIO, source: str) -> None:
    for number, item in _read_items(lines, source):
        reply = item.get("reply")
        customer = item.get("customer", "")
        if not isinstance(reply, str) or not isinstance(customer, str):
            raise UserError(f'{source}:{number}: "customer" and "reply" must be text')
        result = {"id": item.get("id", number), **evaluate(customer, reply).to_json()}
        print(json.dumps(result, ensure_ascii=False), flush=True)


def _read_items(lines: BinaryIO, source: str) -> Iterator[tuple[int, dict[str, object]]]:
    # Decoded line by line, so that a bad line is named and the lines before it are scored.
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UserError(f"{source}:{number}: not UTF-8 text") from None
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise UserError(f"{source}:{number}: not JSON ({error.msg})") from None
        if not isinstance(item, dict):
            raise UserError(f'{source}:{number}: expected an object with "customer" and "reply"')
        yield number, item


def _as_text(evaluation: Evaluation) -> str:
    lines = [f"Empathy {evaluation.empathy}/100   Composure {evaluation.composure}/100"]
    lines += [f"  + {quote}" for quote in evaluation.evidence]
    lines += [f"  tip: {tip}" for tip in evaluation.tips]
    return "\n".join(lines)
