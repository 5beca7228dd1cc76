"""Hostile scenario files: each is reported in lines naming file, field and line, quickly,
and never stops the other scenarios loading."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.core.scenario import ScenarioError, load_scenario, load_scenarios
from app.paths import SHIPPED_SCENARIOS_DIR
from tests.unit.test_scenario import SHIPPED_TEXT, line_number, load_error, write_variant


def test_a_deeply_nested_array_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")

    error = load_error(path)

    assert "nested too deeply" in error.message


def test_a_five_thousand_digit_number_names_its_line(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "max_turns = 8", "max_turns = " + "9" * 5000)

    error = load_error(path)

    assert "thousands of digits" in error.message
    assert error.line == line_number(path, "max_turns = 999")


def test_a_long_run_of_spaces_is_looked_up_in_linear_time(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "max_turns = 8", " " * 10_000 + "\nmax_turns = 99")

    started = time.perf_counter()
    error = load_error(path)
    elapsed = time.perf_counter() - started

    assert error.field == "max_turns"
    assert elapsed < 1.0  # it took minutes with the old backtracking pattern


def test_a_yaml_file_is_told_that_scenarios_are_toml(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("id: mine\ntitle: Mine\n", encoding="utf-8")

    error = load_error(path)

    assert error.message == "scenarios are TOML files (.toml), not YAML"


def test_yes_in_quotes_is_not_a_boolean(tmp_path: Path) -> None:
    path = write_variant(tmp_path, "key = false", 'key = "yes"')

    error = load_error(path)

    assert error.field.endswith(".key")
    assert error.message == "must be true or false (without quotes)"
    assert error.line == line_number(path, 'key = "yes"')


def test_a_number_in_quotes_is_not_a_number(tmp_path: Path) -> None:
    error = load_error(write_variant(tmp_path, "max_turns = 8", 'max_turns = "8"'))

    assert error.field == "max_turns"


@pytest.mark.parametrize("control", ["\\u001b]0;owned\\u0007", "\\u001b[2J", "\\u0000"])
def test_control_characters_in_text_are_refused(tmp_path: Path, control: str) -> None:
    path = write_variant(
        tmp_path,
        'title = "An unrecognised card charge"',
        f'title = "An unrecognised {control}card charge"',
    )

    error = load_error(path)

    assert error.field == "title"
    assert "control character U+00" in error.message
    assert "\x1b" not in str(error)


def test_a_byte_order_mark_is_not_part_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + SHIPPED_TEXT.replace('id = "unrecognised-charge"', 'id = "with-bom"').encode("utf-8")
    )

    assert load_scenario(path).id == "with-bom"


def test_one_hostile_file_never_stops_the_rest(tmp_path: Path) -> None:
    (tmp_path / "deep.toml").write_text("x = " + "[" * 50_000 + "\n", encoding="utf-8")
    (tmp_path / "digits.toml").write_text("x = " + "1" * 5000 + "\n", encoding="utf-8")
    (tmp_path / "spaces.toml").write_text(" " * 10_000 + "\nx = \n", encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("id: x\n", encoding="utf-8")

    started = time.perf_counter()
    scenarios, errors = load_scenarios([SHIPPED_SCENARIOS_DIR, tmp_path])

    assert time.perf_counter() - started < 10
    assert {error.file.name for error in errors} == {
        "deep.toml",
        "digits.toml",
        "spaces.toml",
        "notes.yaml",
    }
    assert len(scenarios) == len(list(SHIPPED_SCENARIOS_DIR.glob("*.toml")))


def test_a_file_reusing_a_shipped_id_names_both_files(tmp_path: Path) -> None:
    write_variant(tmp_path, 'title = "An unrecognised card charge"', 'title = "Copy"', "copy.toml")

    _scenarios, errors = load_scenarios([SHIPPED_SCENARIOS_DIR, tmp_path])

    assert len(errors) == 1
    assert isinstance(errors[0], ScenarioError)
    assert "copy.toml" in str(errors[0])
    assert "unrecognised-charge.toml" in str(errors[0])
