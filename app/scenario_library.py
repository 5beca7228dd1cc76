"""The scenarios a user can pick: the shipped ones and their own, side by side."""

from __future__ import annotations

from pathlib import Path

from app.core.scenario import Scenario, ScenarioError, find_scenario, load_scenarios
from app.paths import SHIPPED_SCENARIOS_DIR


def own_scenarios_dir(data_folder: Path) -> Path:
    return data_folder / "scenarios"


def load_library(data_folder: Path) -> tuple[list[Scenario], list[ScenarioError]]:
    """Every valid scenario, and one error for each broken file (which never stops the rest)."""
    own = own_scenarios_dir(data_folder)
    # scenarios/central/ holds the ones trainers published on the central store (skeptic sync).
    return load_scenarios([SHIPPED_SCENARIOS_DIR, own, own / "central"])


def scenario_by_id(data_folder: Path, scenario_id: str) -> Scenario:
    """The scenario with this id; LookupError with a one-line message when there is none."""
    scenarios, _errors = load_library(data_folder)
    return find_scenario(scenarios, scenario_id)
