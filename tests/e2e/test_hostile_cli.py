"""Hostile input on the command line: one clear line and exit 2, or it works; never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.paths import PROJECT_ROOT, SHIPPED_SCENARIOS_DIR, database_path
from app.storage import SessionStore
from tests.e2e.test_cli import (
    CUSTOMER,
    EMPATHETIC,
    SCENARIO_ID,
    assert_one_line_error,
    own_scenario_text,
    run_cli,
    stored_sessions,
    without_speakers,
)
from tests.storage.helpers import make_turn


def test_an_empty_data_dir_is_refused(private_data_dir: Path) -> None:
    assert_one_line_error(run_cli("--data-dir", "", "history", "list"), "--data-dir is empty")


def test_reading_history_from_a_folder_that_is_not_there_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-such" / "folder"
    for args in (("history", "list"), ("history", "show", "1"), ("history", "trainees")):
        line = assert_one_line_error(run_cli("--data-dir", str(missing), *args), "does not exist")
        assert str(missing) in line
    assert not (tmp_path / "no-such").exists()


@pytest.mark.parametrize("call_id", ["100000000000000000000000", "9" * 5000, "-1", "0", "x"])
def test_a_call_id_out_of_range_is_one_line(private_data_dir: Path, call_id: str) -> None:
    line = assert_one_line_error(run_cli("history", "show", call_id), "CALL_ID")
    assert len(line) < 300


def test_a_mistake_on_the_command_line_is_one_line(private_data_dir: Path) -> None:
    assert_one_line_error(run_cli("history", "list", "--sort", "colour"), "invalid choice")
    assert_one_line_error(run_cli("score", "--frobnicate"), "unrecognized arguments")


def score_jsonl(tmp_path: Path, content: bytes) -> tuple[int, list[str], str]:
    path = tmp_path / "replies.jsonl"
    path.write_bytes(content)
    result = run_cli("score", "--jsonl", str(path))
    return result.returncode, result.stdout.splitlines(), result.stderr


def test_score_jsonl_refuses_nan_ids_and_empty_replies(tmp_path: Path) -> None:
    good = json.dumps({"id": "a", "customer": CUSTOMER, "reply": EMPATHETIC})
    for bad, expected in [
        ('{"id": NaN, "customer": "x", "reply": "I see."}', "NaN is not a JSON value"),
        ('{"id": 1.5, "customer": "x", "reply": "I see."}', '"id" must be text'),
        ('{"id": 2, "customer": "x", "reply": "  "}', '"reply" is empty'),
        ('{"id": ' + "9" * 5000 + ', "reply": "I see."}', ":2: not usable JSON"),
        ("[" * 100_000 + "]" * 100_000, ":2: nested too deeply"),
    ]:
        code, out, err = score_jsonl(tmp_path, f"{good}\n{bad}\n".encode())
        assert code == 2, err
        assert len(out) == 1 and json.loads(out[0])["id"] == "a"  # the lines before are scored
        assert len(err.strip().splitlines()) == 1 and expected in err, err
        assert "Traceback" not in err


def test_score_jsonl_reads_a_byte_order_mark(tmp_path: Path) -> None:
    line = json.dumps({"id": "a", "customer": CUSTOMER, "reply": EMPATHETIC})
    code, out, err = score_jsonl(tmp_path, b"\xef\xbb\xbf" + line.encode() + b"\n")
    assert code == 0, err
    assert json.loads(out[0])["id"] == "a"


def test_a_reply_past_the_documented_length_is_refused(tmp_path: Path) -> None:
    result = run_cli("score", "--customer", CUSTOMER, "--reply", "I see. " * 15_000)
    assert_one_line_error(result, "at most 100,000")


def test_a_typed_reply_that_is_not_utf8_is_kept_with_replacement(private_data_dir: Path) -> None:
    typed = subprocess.run(
        [sys.executable, "-m", "app", "practice", "--scenario", SCENARIO_ID, "--typed",
         "--trainee", "Lou"],
        cwd=PROJECT_ROOT,
        env=without_speakers(),
        input=b"Je suis d\xe9sol\xe9, I understand how worrying that is.\n/end\n",
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    assert typed.returncode == 0, typed.stderr
    sessions = stored_sessions(private_data_dir)
    transcripts = [turn.transcript for _session, turns in sessions for turn in turns]
    assert "Je suis d\ufffdsol\ufffd, I understand how worrying that is." in transcripts


def test_stored_control_characters_are_never_printed_raw(private_data_dir: Path) -> None:
    with SessionStore.open(database_path(private_data_dir)) as store:
        call = store.start_session("Eve\x1b]0;owned\x07", SCENARIO_ID, "Title\x1b[2J", "easy", 30)
        store.save_turn(call, make_turn(1, transcript="I hear you\x1b[2J\x1b[31m"))
        store.finish_session(call, "resolved", 60)

    for args in (("history", "show", str(call)), ("history", "list"), ("history", "trainees")):
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "\\u001b" in result.stdout


def test_validate_lists_every_problem_of_a_file(tmp_path: Path) -> None:
    path = tmp_path / "nearly-empty.toml"
    path.write_text('id = "x"\ntitle = "X"\nmax_turns = "8"\n', encoding="utf-8")

    result = run_cli("scenarios", "validate", str(path))

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) > 5 and all(line.startswith(f"{path}: ") for line in lines)
    assert f"{path}: max_turns: must be a whole number (without quotes) (line 3)" in lines


def test_validate_refuses_ids_used_twice_naming_both_files(tmp_path: Path) -> None:
    shipped_copy = tmp_path / "mine.toml"
    shipped_copy.write_text(own_scenario_text(SCENARIO_ID, "Mine"), encoding="utf-8")
    first = tmp_path / "a.toml"
    second = tmp_path / "b.toml"
    first.write_text(own_scenario_text("twin", "Twin A"), encoding="utf-8")
    second.write_text(own_scenario_text("twin", "Twin B"), encoding="utf-8")

    result = run_cli("scenarios", "validate", str(tmp_path))

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert any(
        line.startswith(f"{shipped_copy}: id:") and f"{SCENARIO_ID}.toml" in line for line in lines
    )
    assert any(line.startswith(f"{second}: id:") and str(first) in line for line in lines)
    assert run_cli("scenarios", "validate", str(SHIPPED_SCENARIOS_DIR)).returncode == 0
