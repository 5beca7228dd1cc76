"""`skeptic bench --quick --json` runs a real turn in both builds and reports every figure."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow


def test_the_quick_bench_reports_every_figure(virtual_audio: None) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "bench", "--quick", "--json"],
        capture_output=True,
        text=True,
        timeout=900,  # the quick run replays one reply of each kind in real time
        cwd=PROJECT_ROOT,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    for build in ("fast", "straightforward"):
        for figure in (
            "response_gap_ms",
            "end_of_speech_wait_ms",
            "transcription_ms",
            "scoring_ms",
            "synthesis_to_first_audio_ms",
        ):
            assert set(report[build]["all"][figure]) == {"median", "p95"}
        assert set(report[build]["by_length"]) == {"3 s"}
        assert report["turns"][build][0]["heard"]
    assert report["model_load_ms"] > 0
    assert report["peak_memory_mb"]["total"] > report["peak_memory_mb"]["app_process"] > 0
    assert set(report["word_error_rate_percent"]) == {
        "streaming",
        "full_utterance",
        "straightforward",
        "replies",
    }
    assert set(report["launch"]) == {"window_shown_s", "ready_to_listen_s", "note"}
    assert {target["name"] for target in report["targets"]} >= {
        "response_gap_median_ms",
        "ratio_to_straightforward",
        "peak_memory_mb",
    }
    assert report["output"].startswith("PulseAudio")
    assert {target["name"] for target in report["targets"]} >= {
        "false_cut_offs_on_pauses",
        "barge_in_stop_ms",
        "first_reply_transcription_ratio",
    }
    assert report["pauses"]["replies_with_mid_reply_pauses"] == 2  # jfk.flac and one 1.5 s gap
    assert report["barge_in"]["trials"] == 1 and report["barge_in"]["missed"] == 0
    assert report["first_reply"]["first_ms"] > 0
    assert report["vocabulary_word_error_rate"]["replies"] > 0
    assert report["machine"]["load_average_1min"] >= 0
