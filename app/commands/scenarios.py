"""`skeptic scenarios list|validate`: what can be practised, and whether a file is well formed."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.core.scenario import ScenarioError, load_scenario
from app.paths import data_dir
from app.scenario_library import load_library


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
            print(f"{row['id']:<28} {row['difficulty']:<9} {row['title']}")
    # Problems go to stderr, so that the listing stays clean JSON for other programs.
    for error in errors:
        print(f"broken: {error}", file=sys.stderr)
    return 0


def _validate(args: argparse.Namespace) -> int:
    """Exit 0 when every file is valid, 2 otherwise; one line per error."""
    if args.paths:
        files = _expand([Path(p) for p in args.paths])
        errors: list[ScenarioError] = []
        for file in files:
            try:
                load_scenario(file)
            except ScenarioError as problem:
                errors.append(problem)
        count = len(files)
    else:
        scenarios, errors = load_library(data_dir(getattr(args, "data_dir", None)))
        count = len(scenarios) + len(errors)
    for error in errors:
        print(error)
    if not errors:
        print(f"{count} scenario file(s) valid")
    return 2 if errors else 0


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return files
