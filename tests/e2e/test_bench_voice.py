"""`skeptic bench-voice --json` times both voice engines and reports every figure."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow


def test_the_voice_bench_times_both_engines(virtual_audio: None) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "bench-voice", "--lines", "2", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=PROJECT_ROOT,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert set(report["engines"]) == {"neural", "espeak"}
    for engine in report["engines"].values():
        for figure in ("prepared_ms", "cold_ms", "whole_line_ms"):
            assert 0 < engine[figure]["median"] <= engine[figure]["max"]
    neural = report["engines"]["neural"]
    assert neural["voice"] == "en_US-joe-medium"
    # Sentence by sentence, the first audio comes well before the whole line is synthesised.
    assert neural["cold_ms"]["median"] < neural["whole_line_ms"]["median"]
