"""Scenario files: the shipped one loads, and every kind of mistake is reported in one line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.core.scenario import (
    DIFFICULTY_DEFAULTS,
    Scenario,
    ScenarioError,
    find_scenario,
    load_scenario,
    load_scenarios,
)
from app.paths import SHIPPED_SCENARIOS_DIR

SHIPPED = SHIPPED_SCENARIOS_DIR / "unrecognised-charge.toml"
SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")


def write_variant(folder: Path, old: str, new: str, name: str = "broken.toml") -> Path:
    """The shipped scenario with one edit, so each test breaks exactly one thing."""
    assert SHIPPED_TEXT.count(old) == 1, f"edit target not unique: {old!r}"
    path = folder / name
    path.write_text(SHIPPED_TEXT.replace(old, new), encoding="utf-8")
    return path


def line_number(path: Path, fragment: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if fragment in line)


def load_error(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    error = caught.value
    assert "\n" not in str(error)
    assert str(error).startswith(f"{path.name}: ")
    assert error.file == path
    return error


def test_the_shipped_scenario_loads_with_its_concerns_and_stages() -> None:
    scenario = load_scenario(SHIPPED)

    assert scenario.id == "unrecognised-charge"
    assert scenario.difficulty == "standard"
    assert scenario.persona.voice == "older-woman"
    assert {c.id for c in scenario.concerns} == {"fraud", "scam-call", "data", "next-steps"}
    assert scenario.key_concerns == {"fraud", "scam-call", "next-steps"}
    assert len(scenario.stages) >= 4
    assert {stage.concern for stage in scenario.stages} <= {c.id for c in scenario.concerns}
    assert all(cue == cue.lower() for concern in scenario.concerns for cue in concern.cues)


def test_the_shipped_model_replies_never_ask_for_a_secret() -> None:
    scenario = load_scenario(SHIPPED)
    asking = re.compile(r"(tell|give|read) me your (pin|full card number|password)", re.I)

    for stage in scenario.stages:
        for reply in stage.model_replies:
            assert not asking.search(reply), reply


def test_a_toml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "max_turns = 8", "max_turns = ")

    error = load_error(path)

    assert error.field == ""
    assert error.line == line_number(path, "max_turns =")
    assert "TOML syntax error: Invalid value" in error.message
    assert str(error).endswith(f"(line {error.line})")


def test_a_syntax_error_at_the_end_of_the_file_points_at_its_last_line(tmp_path: Path) -> None:
    path = tmp_path / "cut-short.toml"
    path.write_text(SHIPPED_TEXT + 'extra = "never closed', encoding="utf-8")

    error = load_error(path)

    assert error.line == len(path.read_text(encoding="utf-8").splitlines())
    assert error.message == "TOML syntax error: Unterminated string"


def test_an_unknown_field_is_named_with_its_path_and_line(tmp_path: Path) -> None:
    path = write_variant(tmp_path, 'voice = "older-woman"', 'voice = "older-woman"\nmood = "x"')

    error = load_error(path)

    assert error.field == "persona.mood"
    assert "not a field of the scenario format" in error.message
    assert error.line == line_number(path, 'mood = "x"')


def test_a_stage_naming_an_unknown_concern_is_reported_at_that_stage(tmp_path: Path) -> None:
    path = write_variant(tmp_path, 'concern = "data"', 'concern = "frod"')

    error = load_error(path)

    assert error.field == "stages.2.concern"
    assert error.message.startswith("unknown concern 'frod'")
    assert error.line == line_number(path, 'concern = "frod"')
    assert str(error).startswith("broken.toml: stages.2.concern: unknown concern 'frod'")


def test_trust_out_of_range_is_refused(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "starting_trust = 25", "starting_trust = 140")

    error = load_error(path)

    assert error.field == "persona.starting_trust"
    assert "100" in error.message
    assert error.line == line_number(path, "starting_trust = 140")


def test_trust_thresholds_out_of_order_are_refused(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "walkout_trust = 5", "walkout_trust = 30")

    error = load_error(path)

    assert error.field == "persona.starting_trust"
    assert "between walkout_trust (30) and resolve_trust (70)" in error.message


def test_an_empty_list_of_lines_is_refused(tmp_path: Path) -> None:
    start = SHIPPED_TEXT.index("[opening]")
    end = SHIPPED_TEXT.index("[[stages]]")
    path = write_variant(tmp_path, SHIPPED_TEXT[start:end], "[opening]\nlines = []\n\n")

    error = load_error(path)

    assert error.field == "opening.lines"
    assert "at least 1" in error.message
    assert error.line == line_number(path, "lines = []")


def test_a_blank_line_is_refused_like_a_missing_one(tmp_path: Path) -> None:
    path = write_variant(tmp_path, '"So what happens now?",', '"   ",')

    error = load_error(path)

    assert error.field == "stages.3.neutral.0"


def test_a_missing_field_and_a_bad_id_are_named(tmp_path: Path) -> None:
    missing = write_variant(tmp_path, 'difficulty = "standard"\n', "", name="missing.toml")
    bad_id = write_variant(
        tmp_path, 'id = "unrecognised-charge"', 'id = "Unrecognised Charge"', name="bad-id.toml"
    )

    assert load_error(missing).field == "difficulty"
    assert "required" in load_error(missing).message
    assert load_error(bad_id).field == "id"
    assert "lowercase words joined by hyphens" in load_error(bad_id).message


def test_duplicate_concern_ids_are_refused(tmp_path: Path) -> None:
    path = write_variant(tmp_path, 'id = "data"', 'id = "fraud"')

    error = load_error(path)

    assert error.field == "concerns.2.id"
    assert error.message == "duplicate id 'fraud'"


def test_too_few_lines_for_the_call_length_are_refused(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "max_turns = 8", "max_turns = 30")

    error = load_error(path)

    assert error.field == "stages.0"
    assert "max_turns 30 needs at least 29" in error.message


def test_several_problems_are_counted_in_the_one_line_and_each_listed(tmp_path: Path) -> None:
    path = tmp_path / "nearly-empty.toml"
    path.write_text('id = "x"\ntitle = "X"\n', encoding="utf-8")

    error = load_error(path)

    counted = re.search(r"\(and (\d+) more problems\)", str(error))
    assert counted
    listed = error.lines()
    assert len(listed) == int(counted.group(1)) + 1
    assert all(line.startswith("nearly-empty.toml: ") for line in listed)
    assert "nearly-empty.toml: difficulty: missing (this field is required)" in listed
    assert "nearly-empty.toml: persona: missing (this field is required)" in listed


def test_a_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    error = load_error(tmp_path / "absent.toml")

    assert error.message == "file not found"
    assert str(error) == "absent.toml: file not found"


def test_load_scenarios_keeps_going_past_broken_files(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    write_variant(mine, "max_turns = 8", "max_turns = ", name="a-syntax.toml")
    write_variant(mine, 'concern = "data"', 'concern = "frod"', name="b-concern.toml")
    write_variant(
        mine,
        'id = "unrecognised-charge"\ntitle = "An unrecognised card charge"',
        'id = "another-charge"\ntitle = "A second card charge"',
        name="c-good.toml",
    )
    (mine / "notes.txt").write_text("not a scenario", encoding="utf-8")
    duplicate = write_variant(mine, "max_turns = 8", "max_turns = 7", name="d-duplicate.toml")

    scenarios, errors = load_scenarios([SHIPPED_SCENARIOS_DIR, tmp_path / "absent", mine])

    assert [s.id for s in scenarios if s.source and s.source.parent == mine] == ["another-charge"]
    assert "unrecognised-charge" in {s.id for s in scenarios}
    titles = [s.title.casefold() for s in scenarios]
    assert titles == sorted(titles)
    assert sorted(e.file.name for e in errors) == [
        "a-syntax.toml",
        "b-concern.toml",
        "d-duplicate.toml",
    ]
    duplicate_error = next(e for e in errors if e.file == duplicate)
    assert duplicate_error.field == "id"
    assert "already used by" in duplicate_error.message
    assert str(SHIPPED) in duplicate_error.message


def test_find_scenario_by_id_or_explain_the_choices() -> None:
    scenarios, errors = load_scenarios([SHIPPED_SCENARIOS_DIR])
    assert errors == []

    assert find_scenario(scenarios, "unrecognised-charge").title == "An unrecognised card charge"
    with pytest.raises(LookupError) as caught:
        find_scenario(scenarios, "angry-landlord")
    message = str(caught.value).strip("'\"")
    known = ", ".join(sorted(s.id for s in scenarios))
    assert message == f"no scenario 'angry-landlord'; known scenarios: {known}"
    assert "unrecognised-charge" in known


def test_scenarios_are_immutable() -> None:
    scenario: Scenario = load_scenario(SHIPPED)

    with pytest.raises(ValueError):
        scenario.max_turns = 3


def test_an_unknown_voice_is_named_with_the_voices_there_are(tmp_path: Path) -> None:
    path = write_variant(tmp_path, 'voice = "older-woman"', 'voice = "old-lady"')

    error = load_error(path)

    assert error.field == "persona.voice"
    assert error.message.startswith("unknown voice 'old-lady'")
    assert "older-woman" in error.message and "young-woman" in error.message
    assert error.line == line_number(path, 'voice = "old-lady"')


def test_patience_out_of_range_is_refused(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "walkout_trust = 5", "walkout_trust = 5\npatience = 0")

    error = load_error(path)

    assert error.field == "persona.patience"
    assert "greater than or equal to 1" in error.message


def without_persona_numbers(text: str) -> str:
    """The shipped scenario with every number of the persona left to its difficulty."""
    numbers = re.compile(
        r"^(starting_trust|trust_gain|trust_loss|resolve_trust|walkout_trust) = .*\n", re.M
    )
    return numbers.sub("", text)


@pytest.mark.parametrize("difficulty", ["easy", "standard", "hard"])
def test_the_difficulty_fills_in_the_persona_numbers_left_out(
    tmp_path: Path, difficulty: str
) -> None:
    path = tmp_path / f"{difficulty}.toml"
    text = without_persona_numbers(SHIPPED_TEXT).replace(
        'difficulty = "standard"', f'difficulty = "{difficulty}"', 1
    )
    path.write_text(text, encoding="utf-8")

    persona = load_scenario(path).persona

    expected = DIFFICULTY_DEFAULTS[difficulty]
    assert persona.starting_trust == expected["starting_trust"]
    assert persona.trust_gain == expected["trust_gain"]
    assert persona.trust_loss == expected["trust_loss"]
    assert persona.resolve_trust == expected["resolve_trust"]
    assert persona.walkout_trust == expected["walkout_trust"]
    assert persona.patience == expected["patience"]


def test_the_difficulty_levels_differ_in_every_number() -> None:
    easy, standard, hard = (DIFFICULTY_DEFAULTS[level] for level in ("easy", "standard", "hard"))

    for colder_when_harder in ("starting_trust", "trust_gain", "patience"):
        assert easy[colder_when_harder] > standard[colder_when_harder] > hard[colder_when_harder]
    for higher_when_harder in ("trust_loss", "resolve_trust"):
        assert easy[higher_when_harder] < standard[higher_when_harder] < hard[higher_when_harder]


def test_numbers_written_in_the_file_win_over_the_difficulty(tmp_path: Path) -> None:
    path = write_variant(tmp_path, 'difficulty = "standard"', 'difficulty = "hard"')

    persona = load_scenario(path).persona

    assert (persona.starting_trust, persona.trust_loss, persona.resolve_trust) == (25, 1.2, 70)
    assert persona.patience == DIFFICULTY_DEFAULTS["hard"]["patience"]
