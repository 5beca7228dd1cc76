"""The bench's turn-taking figures: cut-offs on pauses, barge-in, the first reply, vocabulary."""

from __future__ import annotations

import sys
import time
from dataclasses import asdict
from typing import Any

import numpy as np

from app.audio.transcribers import WhisperTranscriber
from app.audio.turn_hearer import TurnTakingHearer
from app.bench.barge_in import measure_barge_in, virtual_devices_present
from app.bench.pauses import hear_pause_reply, pause_set, summary
from app.bench.replies import BenchReply
from app.bench.vocabulary import vocabulary_figures
from app.core.scenario import Scenario

ECHO_DB = -10.0  # laptop speakers a foot from the microphone, measured in rooms: -10 to -20 dB


def _progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def first_reply_figures(whisper: WhisperTranscriber, replies: list[BenchReply]) -> dict[str, Any]:
    """The first reply's transcription after load and warm-up, against the next ones'."""
    samples = [reply.samples for reply in replies[:4]]
    times = []
    for audio in samples:
        started = time.perf_counter()
        whisper.transcribe(audio)
        times.append((time.perf_counter() - started) * 1000)
    later = float(np.median(times[1:])) if len(times) > 1 else times[0]
    return {
        "first_ms": round(times[0], 1),
        "later_median_ms": round(later, 1),
        "ratio": round(times[0] / later, 2) if later else None,
    }


def pause_figures(hearer: TurnTakingHearer, quick: bool) -> dict[str, Any]:
    results = []
    for reply in pause_set(quick):
        result = hear_pause_reply(hearer, reply)
        _progress(
            f"pauses {reply.name}: {'CUT OFF' if result.cut_off else 'whole'}, "
            f"{result.verdict}, wait {result.added_wait_ms} ms"
        )
        results.append(result)
    return {**summary(results), "replies": [asdict(result) for result in results]}


def barge_in_figures(quick: bool) -> dict[str, Any]:
    if not virtual_devices_present():
        return {"note": "no PulseAudio virtual devices (run under ./scripts/test's set-up)"}
    echo_runs = [measure_barge_in(ECHO_DB, None) for _ in range(1 if quick else 4)]
    trials = [measure_barge_in(ECHO_DB, 1.2 + 0.37 * step) for step in range(1 if quick else 6)]
    stops = [trial.stop_ms for trial in trials if trial.stop_ms is not None]
    false_alarms = sum(run.false_alarm for run in echo_runs)
    _progress(f"barge-in: stops {stops} ms, echo alone fired {false_alarms} times")
    return {
        "echo_db": ECHO_DB,
        "echo_alone_runs": len(echo_runs),
        "false_alarms": false_alarms,
        "trials": len(trials),
        "missed": sum(not trial.detected for trial in trials),
        "stop_ms": {
            "median": round(float(np.median(stops)), 1) if stops else None,
            "max": round(max(stops), 1) if stops else None,
            "all": stops,
        },
        "detect_ms": [trial.detect_ms for trial in trials],
    }


def vocabulary_section(
    whisper: WhisperTranscriber, scenarios: list[Scenario], quick: bool
) -> dict[str, Any]:
    figures = vocabulary_figures(whisper, scenarios[:1] if quick else scenarios)
    _progress(f"vocabulary: {figures}")
    return asdict(figures)
