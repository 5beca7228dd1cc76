"""Fuzzing every input surface: scenario files, JSONL lines, command-line values, audio files.

Whatever comes in, a command exits 0 or 2; on 2 it says why in exactly one line on stderr;
nothing escapes as a traceback; each case finishes in bounded time; and the calls saved
before are all still there, unchanged. The commands run in this process (through
app.cli.main), so that hundreds of cases take seconds.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import pytest
import soundfile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.audio.audio_file import AudioFileError, read_audio_file
from app.cli import main
from app.core.scenario import load_scenarios
from app.paths import SHIPPED_SCENARIOS_DIR, database_path
from app.storage import SessionStore
from tests.storage.helpers import add_call

SHIPPED_TEXT = (SHIPPED_SCENARIOS_DIR / "unrecognised-charge.toml").read_text(encoding="utf-8")
SHIPPED_COUNT = len(list(SHIPPED_SCENARIOS_DIR.glob("*.toml")))
# Far above what any case takes, far below a hang.
SECONDS_PER_CASE = 10.0
# A few seconds per surface in the suite; SKEPTIC_FUZZ_EXAMPLES=500 for a deeper search.
FUZZ = settings(
    max_examples=int(os.environ.get("SKEPTIC_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def run(*argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of one command; any exception is a failed promise."""
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
    assert time.perf_counter() - started < SECONDS_PER_CASE, argv
    return code, out.getvalue(), err.getvalue()


def assert_kept_promise(code: int, err: str, problems_listed: bool = False) -> None:
    """`problems_listed`: `scenarios validate` lists every problem, one line each, on stderr."""
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) >= 1 if problems_listed else len(lines) == 1, err


@pytest.fixture(scope="module")
def saved_history() -> Iterator[tuple[Path, list[object]]]:
    """A data folder with calls already saved, and what they looked like."""
    with tempfile.TemporaryDirectory(prefix="skeptic-fuzz-") as name:
        folder = Path(name)
        with SessionStore.open(database_path(folder)) as store:
            add_call(store, "Ana", [(70, 80), (60, 90)], started_at="2024-05-01T09:00:00.000+00:00")
            add_call(store, "Ben", [(30, 40)], started_at="2024-05-02T09:00:00.000+00:00")
            before = [store.calls(), [store.call_turns(c.id) for c in store.calls()]]
        yield folder, before


def assert_nothing_lost(folder: Path, before: list[object]) -> None:
    with SessionStore.open(database_path(folder)) as store:
        assert [store.calls(), [store.call_turns(c.id) for c in store.calls()]] == before


# Scenario files


def _mutated_scenario() -> st.SearchStrategy[str]:
    """The shipped scenario with a slice replaced by something else: near-valid files find the
    deep checks, random ones the parser."""
    junk = st.one_of(
        st.text(max_size=50),
        st.sampled_from(
            ['"yes"', "[[[[[[", "9" * 5000, " " * 10_000, "\x1b[2J", '"\\u001b]0;x\\u0007"',
             "= =", "[[stages]]", "1e400", "nan", "inf", "-0", '"""', "'''", "\ufeff", "\x00"]
        ),
    )  # fmt: skip
    length = len(SHIPPED_TEXT)
    return st.tuples(st.integers(0, length), st.integers(0, 200), junk).map(
        lambda cut: SHIPPED_TEXT[: cut[0]] + cut[2] + SHIPPED_TEXT[cut[0] + cut[1] :]
    )


@FUZZ
@given(text=st.one_of(_mutated_scenario(), st.text(max_size=300)))
def test_a_scenario_file_never_stops_the_others(
    saved_history: tuple[Path, list[object]], text: str
) -> None:
    folder, before = saved_history
    own = folder / "scenarios"
    own.mkdir(exist_ok=True)
    (own / "fuzzed.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        started = time.perf_counter()
        scenarios, errors = load_scenarios([SHIPPED_SCENARIOS_DIR, own])
        assert time.perf_counter() - started < SECONDS_PER_CASE
        assert len(scenarios) + len(errors) == SHIPPED_COUNT + 1
        assert len(scenarios) >= SHIPPED_COUNT  # the fuzzed one may load, or repeat an id
        for error in errors:
            assert all("\n" not in line and "\x1b" not in line for line in error.lines())
        code, _out, err = run("--data-dir", str(folder), "scenarios", "list")
        assert code == 0, err
        code, out, err = run("--data-dir", str(folder), "scenarios", "validate")
        assert code in (0, 2) and "Traceback" not in err
        assert "\x1b" not in out + err
    finally:
        (own / "fuzzed.toml").unlink()
    assert_nothing_lost(folder, before)


# JSONL lines

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)
_REPLY_OBJECTS = st.fixed_dictionaries(
    {},
    optional={
        "id": _JSON_VALUES,
        "customer": st.one_of(st.text(max_size=80), _JSON_VALUES),
        "reply": st.one_of(st.text(max_size=200), _JSON_VALUES),
        "extra": _JSON_VALUES,
    },
)


def _as_line(value: object) -> bytes:
    return json.dumps(value, allow_nan=True).encode()


_LINES = st.one_of(
    _REPLY_OBJECTS.map(_as_line),
    _JSON_VALUES.map(_as_line),
    st.binary(max_size=60),
    st.sampled_from([b"\xef\xbb\xbf{}", b"[" * 50_000, b'{"reply": "' + b"a " * 30_000 + b'"}']),
)


@FUZZ
@given(lines=st.lists(_LINES, min_size=1, max_size=5))
def test_score_jsonl_says_one_line_or_scores_every_line(
    saved_history: tuple[Path, list[object]], lines: list[bytes]
) -> None:
    folder, _before = saved_history
    path = folder / "replies.jsonl"
    path.write_bytes(b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n")

    code, out, err = run("--data-dir", str(folder), "score", "--jsonl", str(path))

    assert_kept_promise(code, err)
    for printed in out.splitlines():
        json.loads(printed)  # every line out is valid JSON (no NaN)
    if code == 0:
        assert len(out.splitlines()) == sum(1 for line in lines if line.decode("utf-8-sig").strip())


# Command-line values

_WORDS = st.one_of(
    st.text(max_size=30),
    st.integers().map(str),
    st.sampled_from(
        ["", " ", "-1", "0", "1", "9" * 5000, "1e9", "2024-02-30", "2024-13-01", "9999-99-99",
         "1970-01-01", "\x00", "\x1b[2J", "..", "/", "/dev/full", "~", "NaN", "--help"]
    ),
)  # fmt: skip


def _history_commands(value: str, other: str) -> list[list[str]]:
    return [
        ["history", "show", value],
        ["history", "list", "--since", value, "--until", other],
        ["history", "list", "--limit", value, "--trainee", other],
        ["history", "list", "--scenario", value, "--json"],
        ["history", "progress", "--trainee", value],
        ["history", "export", "--format", "csv", "--call", value, "--out", other or "x.csv"],
        ["history", "export", "--format", "json", "--trainee", value, "--out", other or "x"],
        ["score", "--customer", value, "--reply", other],
        ["scenarios", "validate", value],
        ["calibrate", value, "--worst", other],
    ]


@FUZZ
@given(value=_WORDS, other=_WORDS, which=st.integers(0, 9))
def test_command_line_values_give_one_line_or_work(
    saved_history: tuple[Path, list[object]], value: str, other: str, which: int
) -> None:
    folder, before = saved_history
    argv = _history_commands(value, other)[which]
    # Outputs land in the data folder, never beside the project: a relative --out value is
    # taken inside it (an absolute one, such as /dev/full, is kept to test it).
    if "--out" in argv:
        argv[-1] = str(folder / "exports" / argv[-1])

    code, out, err = run("--data-dir", str(folder), *argv)

    assert_kept_promise(code, err, problems_listed=argv[:2] == ["scenarios", "validate"])
    assert "\x1b" not in out
    assert_nothing_lost(folder, before)


# Audio files


def _audio_bytes() -> st.SearchStrategy[bytes]:
    buffer = io.BytesIO()
    tone = (0.3 * np.sin(np.linspace(0, 2000, 8000))).astype(np.float32)
    soundfile.write(buffer, tone, 16000, format="WAV", subtype="PCM_16")
    wav = buffer.getvalue()
    return st.one_of(
        st.binary(max_size=200),
        st.tuples(st.integers(0, len(wav)), st.binary(max_size=40)).map(
            lambda cut: wav[: cut[0]] + cut[1] + wav[cut[0] + len(cut[1]) :]
        ),
        st.sampled_from([b"RIFF\xff\xff\xff\xffWAVEfmt ", b"ID3\x04\x00" + b"\xff" * 100]),
    )


@FUZZ
@given(content=_audio_bytes(), suffix=st.sampled_from([".wav", ".mp3", ".flac", ".ogg", ""]))
def test_an_audio_file_is_read_or_refused_in_one_line(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / f"reply{suffix}"
        path.write_bytes(content)
        started = time.perf_counter()
        try:
            samples = read_audio_file(path)
        except AudioFileError as error:
            assert "\n" not in str(error) and str(path) in str(error)
        else:
            assert samples.ndim == 1 and samples.dtype == np.float32
            assert np.isfinite(samples).all()
        assert time.perf_counter() - started < SECONDS_PER_CASE
