"""`skeptic scenarios list|validate`: what can be practised, and whether a file is well formed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.core.scenario import ScenarioError, load_scenario, load_scenarios, scenario_files
from app.errors import UserError
from app.paths import SHIPPED_SCENARIOS_DIR, data_dir
from app.scenario_library import load_library
from app.terminal_text import printable


def run_scenarios(args: argparse.Namespace) -> int:
    if args.scenario_command == "validate":
        return _validate(args)
    return _list(args)


def _list(args: argparse.Namespace) -> int:
    scenarios, errors = load_library(data_dir(getattr(args, "data_dir", None)))
    rows = [
        {
            "id": s.id,
            "title": s.title,
            "difficulty": s.difficulty,
            "summary": s.summary,
            "file": str(s.source or ""),
        }
        for s in scenarios
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(printable(f"{row['id']:<28} {row['difficulty']:<9} {row['title']}"))
    # Problems go to stderr, so that the listing stays clean JSON for other programs.
    for error in errors:
        for line in error.lines():
            print(printable(f"broken: {line}"), file=sys.stderr)
    return 0


def _validate(args: argparse.Namespace) -> int:
    """Exit 0 when every file is valid, 2 otherwise; one line per error on stderr, each naming
    the file by the path given."""
    if args.paths:
        if not all(p.strip() for p in args.paths):
            raise UserError("a path given to validate is empty")
        files = _expand([Path(p) for p in args.paths])
        errors = _check_files(files)
        count = len(files)
    else:
        scenarios, errors = load_library(data_dir(getattr(args, "data_dir", None)))
        count = len(scenarios) + len(errors)
    for error in errors:
        for line in error.lines(full_path=True):
            print(printable(line), file=sys.stderr)
    if not errors:
        print(f"{count} scenario file(s) valid")
    return 2 if errors else 0


def _check_files(files: list[Path]) -> list[ScenarioError]:
    """Each file's problems, and an error for every id another file (or a shipped one) uses."""
    errors: list[ScenarioError] = []
    shipped, _ = load_scenarios([SHIPPED_SCENARIOS_DIR])
    owners = {s.id: s.source for s in shipped if s.source is not None}
    for file in files:
        try:
            scenario = load_scenario(file)
        except ScenarioError as problem:
            errors.append(problem)
            continue
        first = owners.setdefault(scenario.id, file)
        if first.resolve() != file.resolve():
            errors.append(ScenarioError(file, "id", f"{scenario.id!r} is already used by {first}"))
    return errors


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(scenario_files(path) if path.is_dir() else [path])
    return files
