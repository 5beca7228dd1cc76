"""The command line as a user runs it: `python -m app ...` in a real process, real engines.

Every command runs in its own process with the test's private data folder (SKEPTIC_DATA_DIR), so
what is checked is exactly what a user sees: exit codes, stdout, one-line errors on stderr and
what ends up in the database.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.wer import word_error_rate
from app.paths import PROJECT_ROOT, SHIPPED_SCENARIOS_DIR, database_path
from app.scenario_library import scenario_by_id
from app.storage import SessionRecord, SessionStore, TurnRecord
from tests.audio_files import write_mp3

SCENARIO_ID = "unrecognised-charge"
# A typed practice call by Dana, with the customer's lines fixed by a seed.
PRACTICE_AS_DANA = (
    "practice",
    "--scenario",
    SCENARIO_ID,
    "--typed",
    "--trainee",
    "Dana",
    "--seed",
    "1",
)
JFK_TEXT = (
    "And so, my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)
CUSTOMER = "Someone has taken money from my account and I don't trust anyone on the phone."
EMPATHETIC = (
    "I can hear how worrying that is, and you're right to be careful. I'll block the card now so "
    "no more money can leave, and I'll raise a dispute on that payment today."
)
DISMISSIVE = "That's not my problem. Calm down, it's only money, you should have checked sooner."
FEEDBACK_LINE = re.compile(r"empathy \d+  composure \d+  trust \d+ -> \d+")
SCORE_KEYS = {"id", "empathy", "composure", "evidence", "tips"}
TIMEOUT = 60
# A call with the customer's voice played through the virtual speaker takes real time.
SPOKEN_CALL_TIMEOUT = 120


def run_cli(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, timeout: float = TIMEOUT
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        cwd=PROJECT_ROOT,
        env=dict(os.environ) if env is None else env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    """Exit code 2, no traceback, exactly one line on stderr containing every `expected` part."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for part in expected:
        assert part in lines[0], lines[0]
    return lines[0]


def without_speakers() -> dict[str, str]:
    """A machine with no sound output: the customer's lines are still synthesised by espeak-ng
    and printed, but the call does not wait for them to be played in real time."""
    env = dict(os.environ)
    env["PULSE_SERVER"] = "unix:/nonexistent/skeptic-test/pulse.sock"
    return env


def stored_sessions(folder: Path) -> list[tuple[SessionRecord, list[TurnRecord]]]:
    with SessionStore.open(database_path(folder)) as store:
        return [(session, store.turns(session.id)) for session in store.sessions()]


def model_replies(folder: Path) -> list[str]:
    scenario = scenario_by_id(folder, SCENARIO_ID)
    return [stage.model_replies[0] for stage in scenario.stages]


def own_scenario_text(scenario_id: str, title: str) -> str:
    text = (SHIPPED_SCENARIOS_DIR / f"{SCENARIO_ID}.toml").read_text(encoding="utf-8")
    text = text.replace(f'id = "{SCENARIO_ID}"', f'id = "{scenario_id}"', 1)
    return text.replace('title = "An unrecognised card charge"', f'title = "{title}"', 1)


def listed_ids(result: subprocess.CompletedProcess[str]) -> set[str]:
    assert result.returncode == 0, result.stderr
    return {row["id"] for row in json.loads(result.stdout)}


# score


def test_score_json_has_bounded_scores_quotes_tips_and_components() -> None:
    result = run_cli("score", "--customer", CUSTOMER, "--reply", EMPATHETIC, "--json")

    assert result.returncode == 0, result.stderr
    scored = json.loads(result.stdout)
    for key in ("empathy", "composure"):
        assert isinstance(scored[key], int)
        assert 0 <= scored[key] <= 100
    assert scored["evidence"]
    assert all(isinstance(quote, str) and quote for quote in scored["evidence"])
    assert scored["tips"]
    assert scored["components"]
    for name, component in scored["components"].items():
        assert set(component) == {"score", "evidence"}, name
        assert 0 <= component["score"] <= 100
        assert isinstance(component["evidence"], list)


def test_an_empathetic_reply_beats_a_dismissive_one() -> None:
    kind = json.loads(
        run_cli("score", "--customer", CUSTOMER, "--reply", EMPATHETIC, "--json").stdout
    )
    rude = json.loads(
        run_cli("score", "--customer", CUSTOMER, "--reply", DISMISSIVE, "--json").stdout
    )

    assert kind["empathy"] > rude["empathy"] + 20
    assert kind["composure"] > rude["composure"]
    assert any("not my problem" in quote.lower() for quote in rude["evidence"])


def test_score_without_json_prints_readable_text() -> None:
    result = run_cli("score", "--customer", CUSTOMER, "--reply", DISMISSIVE)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("Empathy ") and "/100" in lines[0] and "Composure " in lines[0]
    assert any(line.strip().startswith("+ ") for line in lines[1:])
    assert any(line.strip().startswith("tip: ") for line in lines[1:])
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


def test_score_jsonl_answers_each_line_in_order(tmp_path: Path) -> None:
    items = [
        {"id": "kind", "customer": CUSTOMER, "reply": EMPATHETIC},
        {"id": 7, "customer": CUSTOMER, "reply": DISMISSIVE},
        {"id": "short", "customer": "Who are you?", "reply": "I'm from the fraud team."},
    ]
    source = tmp_path / "replies.jsonl"
    source.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")

    result = run_cli("score", "--jsonl", str(source))

    assert result.returncode == 0, result.stderr
    scored = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in scored] == ["kind", 7, "short"]
    for row in scored:
        assert set(row) >= SCORE_KEYS
        assert row["evidence"] and row["tips"]
    assert scored[0]["empathy"] > scored[1]["empathy"]


def test_score_jsonl_reads_stdin_with_a_dash() -> None:
    lines = [
        {"id": "a", "customer": CUSTOMER, "reply": DISMISSIVE},
        {"id": "b", "customer": CUSTOMER, "reply": EMPATHETIC},
    ]
    result = run_cli(
        "score", "--jsonl", "-", stdin="".join(json.dumps(line) + "\n" for line in lines)
    )

    assert result.returncode == 0, result.stderr
    scored = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in scored] == ["a", "b"]
    assert all(set(row) >= SCORE_KEYS for row in scored)
    assert scored[1]["empathy"] > scored[0]["empathy"]


def test_score_jsonl_names_the_file_and_line_that_is_not_json(tmp_path: Path) -> None:
    source = tmp_path / "broken.jsonl"
    good = json.dumps({"id": "first", "customer": CUSTOMER, "reply": EMPATHETIC})
    source.write_text(f"{good}\n{{not json at all\n{good}\n", encoding="utf-8")

    result = run_cli("score", "--jsonl", str(source))

    assert_one_line_error(result, f"{source}:2", "not JSON")
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["first"]


def test_score_jsonl_names_the_file_and_line_that_is_not_utf8(tmp_path: Path) -> None:
    source = tmp_path / "latin1.jsonl"
    good = json.dumps({"id": 1, "customer": CUSTOMER, "reply": EMPATHETIC}).encode()
    source.write_bytes(good + b"\n" + b'{"id": 2, "customer": "x", "reply": "caf\xe9"}\n')

    result = run_cli("score", "--jsonl", str(source))

    assert_one_line_error(result, f"{source}:2")


def test_score_jsonl_of_a_missing_file_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.jsonl"

    result = run_cli("score", "--jsonl", str(missing))

    assert_one_line_error(result, str(missing))
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["--customer", CUSTOMER, "--reply", ""],
        ["--customer", CUSTOMER, "--reply", "   "],
        ["--customer", CUSTOMER],
        [],
    ],
    ids=["empty-reply", "blank-reply", "no-reply", "nothing"],
)
def test_score_without_a_reply_is_one_line(args: list[str]) -> None:
    result = run_cli("score", *args)

    line = assert_one_line_error(result)
    assert "reply" in line
    assert result.stdout == ""


def test_score_jsonl_stops_quietly_when_the_reader_goes_away(tmp_path: Path) -> None:
    line = json.dumps({"customer": CUSTOMER, "reply": EMPATHETIC})
    # Far more output than a pipe holds, so the writer is still writing when the reader leaves.
    source = tmp_path / "many.jsonl"
    source.write_text((line + "\n") * 600, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "score", "--jsonl", str(source)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    process.stdout.close()
    try:
        _, errors = process.communicate(timeout=TIMEOUT)
    finally:
        process.kill()

    assert json.loads(first)["id"] == 1
    assert "Broken pipe" not in errors
    assert errors == ""


# transcribe


def test_transcribe_jfk_with_whisper(speech_data: Path) -> None:
    result = run_cli("transcribe", str(speech_data / "jfk.flac"), "--json")

    assert result.returncode == 0, result.stderr
    heard = json.loads(result.stdout)
    assert word_error_rate(JFK_TEXT, heard["text"]) == 0, heard["text"]
    assert heard["engine"] == "whisper"
    assert heard["audio_seconds"] == pytest.approx(11.0, abs=0.2)
    assert heard["seconds_taken"] > 0
    assert 0 < heard["confidence"] <= 1
    words = heard["words"]
    assert word_error_rate(JFK_TEXT, " ".join(w["word"] for w in words)) == 0
    starts = [w["start"] for w in words]
    assert starts == sorted(starts) and starts[0] < starts[-1]
    assert all(w["start"] <= w["end"] <= heard["audio_seconds"] for w in words)
    assert all(0 <= w["probability"] <= 1 for w in words)


def test_transcribe_with_sphinx(speech_data: Path) -> None:
    result = run_cli("transcribe", str(speech_data / "one_two_three.wav"), "--engine", "sphinx")

    assert result.returncode == 0, result.stderr
    text, details = result.stdout.strip().splitlines()
    assert text.strip()
    assert details.startswith("(sphinx, 2.7 s of audio in ")

    as_json = run_cli(
        "transcribe", str(speech_data / "one_two_three.wav"), "--engine", "sphinx", "--json"
    )
    heard = json.loads(as_json.stdout)
    assert heard["engine"] == "sphinx"
    assert heard["text"].strip()


def test_transcribe_an_mp3(speech_data: Path, tmp_path: Path) -> None:
    mp3 = tmp_path / "one_two_three.mp3"
    source = speech_data / "one_two_three.wav"
    write_mp3(source, mp3)

    result = run_cli("transcribe", str(mp3), "--json")

    assert result.returncode == 0, result.stderr
    heard = json.loads(result.stdout)
    assert heard["engine"] == "whisper"
    assert word_error_rate("one two three", heard["text"]) == 0, heard["text"]
    assert heard["audio_seconds"] == pytest.approx(2.7, abs=0.2)


@pytest.mark.parametrize(
    ("name", "content"),
    [("missing.wav", None), ("notes.wav", b"these are notes, not sound\n"), ("empty.flac", b"")],
    ids=["missing", "text-named-wav", "empty"],
)
def test_transcribe_unreadable_audio_is_one_line(
    tmp_path: Path, name: str, content: bytes | None
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)

    result = run_cli("transcribe", str(path), "--json")

    assert_one_line_error(result, str(path))
    assert result.stdout == ""


# scenarios


def test_scenarios_list_json_describes_the_shipped_scenario() -> None:
    result = run_cli("scenarios", "list", "--json")

    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    charge = rows[SCENARIO_ID]
    assert charge["title"] == "An unrecognised card charge"
    assert charge["difficulty"] in {"easy", "standard", "hard"}
    assert "payment" in charge["summary"]
    assert Path(charge["file"]) == SHIPPED_SCENARIOS_DIR / f"{SCENARIO_ID}.toml"


def test_scenarios_validate_accepts_the_shipped_folder() -> None:
    result = run_cli("scenarios", "validate", str(SHIPPED_SCENARIOS_DIR))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout

    # Without paths: the shipped folder and the (empty) own folder.
    assert run_cli("scenarios", "validate").returncode == 0


@pytest.fixture
def broken_own_scenarios(private_data_dir: Path) -> list[Path]:
    """Two broken files among the user's own scenarios: a TOML syntax error and a bad field."""
    folder = private_data_dir / "scenarios"
    folder.mkdir()
    syntax = folder / "broken-syntax.toml"
    syntax.write_text('id = "half-written"\ntitle = [\n', encoding="utf-8")
    bad_field = folder / "bad-difficulty.toml"
    bad_field.write_text(
        own_scenario_text("bad-difficulty", "Too hard").replace(
            'difficulty = "standard"', 'difficulty = "impossible"', 1
        ),
        encoding="utf-8",
    )
    return [syntax, bad_field]


def test_a_broken_own_scenario_is_listed_as_broken_and_the_rest_still_listed(
    broken_own_scenarios: list[Path],
) -> None:
    result = run_cli("scenarios", "list")

    assert result.returncode == 0, result.stderr
    assert SCENARIO_ID in result.stdout
    broken_lines = [line for line in result.stderr.splitlines() if line.startswith("broken:")]
    for path in broken_own_scenarios:
        assert sum(path.name in line for line in broken_lines) == 1, result.stderr


def test_scenarios_list_json_stays_json_with_a_broken_own_scenario(
    broken_own_scenarios: list[Path],
) -> None:
    result = run_cli("scenarios", "list", "--json")

    assert result.returncode == 0, result.stderr
    assert SCENARIO_ID in {row["id"] for row in json.loads(result.stdout)}
    for path in broken_own_scenarios:
        assert path.name in result.stdout + result.stderr


def test_scenarios_validate_reports_one_line_per_broken_file(
    broken_own_scenarios: list[Path],
) -> None:
    syntax, bad_field = broken_own_scenarios

    one = run_cli("scenarios", "validate", str(syntax))
    assert one.returncode == 2
    assert "Traceback" not in one.stderr
    assert one.stdout == ""  # problems are errors: on stderr, each naming the path given
    lines = one.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{syntax}: "), one.stderr
    assert "line 2" in lines[0]

    both = run_cli("scenarios", "validate", str(syntax), str(bad_field))
    assert both.returncode == 2
    lines = both.stderr.strip().splitlines()
    assert sorted(line.split(": ")[0] for line in lines) == sorted([str(syntax), str(bad_field)])
    assert "difficulty" in next(line for line in lines if line.startswith(str(bad_field)))

    # The whole library, own folder included, is no longer valid.
    assert run_cli("scenarios", "validate").returncode == 2


# practice


def test_a_typed_practice_call_is_shown_and_saved(private_data_dir: Path) -> None:
    replies = model_replies(private_data_dir)

    result = run_cli(
        "practice",
        "--scenario",
        SCENARIO_ID,
        "--typed",
        "--trainee",
        "Dana",
        "--seed",
        "3",
        stdin="\n".join([*replies, "/end"]) + "\n",
        env=without_speakers(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    out = result.stdout
    opening = "Margaret Hale ("
    assert out.count(opening) >= 2, out  # the opening line and at least one reaction
    # With replies piped in, each feedback line follows the "You: " prompt on the same line.
    feedback = FEEDBACK_LINE.findall(out)
    assert feedback, out
    assert "tip: " in out
    assert "Call ended: " in out

    sessions = stored_sessions(private_data_dir)
    assert len(sessions) == 1
    session, turns = sessions[0]
    assert session.trainee == "Dana"
    assert session.scenario_id == SCENARIO_ID
    assert len(turns) == len(feedback) == session.turn_count
    assert [turn.transcript for turn in turns] == replies[: len(turns)]
    assert all(turn.recogniser == "typed" for turn in turns)
    assert session.ending is not None and session.ended_at is not None
    # The scenario's own model replies are what a satisfied customer needs to hear.
    assert session.ending == "resolved"
    assert f"Call ended: resolved. {len(turns)} replies" in out


def test_practice_ends_cleanly_when_input_ends_and_keeps_the_turns(
    private_data_dir: Path,
) -> None:
    replies = model_replies(private_data_dir)[:2]

    result = run_cli(
        *PRACTICE_AS_DANA,
        stdin="\n".join(replies) + "\n",
        env=without_speakers(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "Call ended: ended early. 2 replies" in result.stdout
    [(session, turns)] = stored_sessions(private_data_dir)
    assert session.trainee == "Dana"
    assert [turn.transcript for turn in turns] == replies
    assert session.ending == "ended_early"
    assert session.turn_count == 2


@pytest.mark.audio
def test_practice_speaks_the_customer_through_the_speaker(
    virtual_audio: None, private_data_dir: Path
) -> None:
    """With a sound device the opening line is played (in real time) before input is read."""
    result = run_cli(
        *PRACTICE_AS_DANA,
        timeout=SPOKEN_CALL_TIMEOUT,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Margaret Hale (" in result.stdout
    assert "voice failed" not in result.stdout
    assert "voice is unavailable" not in result.stdout
    [(session, turns)] = stored_sessions(private_data_dir)
    assert turns == []
    assert session.ending == "ended_early"


def test_practice_with_an_unknown_scenario_lists_the_known_ones() -> None:
    result = run_cli("practice", "--scenario", "no-such-id", "--typed", env=without_speakers())

    assert_one_line_error(result, "no-such-id", SCENARIO_ID)


def test_practice_refuses_a_database_that_is_not_sqlite(private_data_dir: Path) -> None:
    database = database_path(private_data_dir)
    content = b"Shopping list: eggs, milk, bread.\n" * 20
    database.write_bytes(content)

    result = run_cli(
        "practice", "--scenario", SCENARIO_ID, "--typed", stdin="/end\n", env=without_speakers()
    )

    assert_one_line_error(result, str(database))
    assert database.read_bytes() == content
    assert sorted(p.name for p in private_data_dir.iterdir()) == ["skeptic.db"]


# --data-dir


@pytest.mark.parametrize(
    "position",
    ["before", "between", "after"],
)
def test_data_dir_option_anywhere_wins_over_the_environment(
    tmp_path: Path, private_data_dir: Path, position: str
) -> None:
    chosen = tmp_path / "chosen"
    (chosen / "scenarios").mkdir(parents=True)
    (chosen / "scenarios" / "my-own.toml").write_text(
        own_scenario_text("my-own", "My own call"), encoding="utf-8"
    )
    option = ["--data-dir", str(chosen)]
    args = {
        "before": [*option, "scenarios", "list", "--json"],
        "between": ["scenarios", *option, "list", "--json"],
        "after": ["scenarios", "list", "--json", *option],
    }[position]

    assert {SCENARIO_ID, "my-own"} <= listed_ids(run_cli(*args))
    listed_without_option = listed_ids(run_cli("scenarios", "list", "--json"))
    assert SCENARIO_ID in listed_without_option and "my-own" not in listed_without_option


@pytest.mark.parametrize("position", ["before", "after"])
def test_practice_saves_in_the_data_dir_given(
    tmp_path: Path, private_data_dir: Path, position: str
) -> None:
    chosen = tmp_path / "chosen"
    option = ["--data-dir", str(chosen)]
    command = ["practice", "--scenario", SCENARIO_ID, "--typed", "--trainee", "Dana"]
    args = [*option, *command] if position == "before" else [*command, *option]

    result = run_cli(*args, stdin="/end\n", env=without_speakers())

    assert result.returncode == 0, result.stdout + result.stderr
    assert not database_path(private_data_dir).exists()
    [(session, _turns)] = stored_sessions(chosen)
    assert session.trainee == "Dana"


# gui, selftest, version


def test_gui_without_a_display_says_how_to_get_one() -> None:
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"}
    }
    for args in (["gui"], []):
        result = run_cli(*args, env=env)

        line = assert_one_line_error(result, "xvfb-run -a ./scripts/run", "practice")
        assert "core dumped" not in line.lower() and "abort" not in line.lower()


def test_selftest_passes_every_stage() -> None:
    result = run_cli("selftest", timeout=120)

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5, result.stdout
    assert all(line.startswith("PASS") for line in lines), result.stdout


def test_version() -> None:
    result = run_cli("--version")

    assert result.returncode == 0
    assert result.stdout.startswith("Skeptic ")


def test_library_info_logs_stay_off_stderr_and_warnings_still_show() -> None:
    # wordllama calls logging.basicConfig(level=INFO) on import; the scorer imports it, and
    # faster-whisper then logs a line per transcription. The entry point sets the level first.
    script = (
        "import logging, sys\n"
        "from app.cli import quiet_library_logs\n"
        "quiet_library_logs()\n"
        "import wordllama\n"
        "logging.getLogger('faster_whisper').info('Processing audio with duration 00:03.000')\n"
        "logging.getLogger('faster_whisper').warning('a real problem')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Processing audio" not in result.stderr
    assert "a real problem" in result.stderr
