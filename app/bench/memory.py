"""What holds the app's memory during a call: each engine loaded in turn, in a fresh process.

Run as `python -m app.bench.memory`; prints one JSON object: the process's resident memory
(VmRSS) and peak (VmHWM) in MB after each step, in the order the app loads them. The steps
run in this process, so each figure includes the ones before it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def measure_steps(threads: int = 2) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    held: dict[str, Any] = {}
    speech = np.random.default_rng(0).normal(0, 0.05, 16_000 * 6).astype(np.float32)

    def step(name: str, action: Callable[[], None]) -> None:
        before = _status_mb("VmRSS")
        action()
        steps.append(
            {
                "step": name,
                "rss_mb": _status_mb("VmRSS"),
                "added_mb": round(_status_mb("VmRSS") - before, 1),
                "peak_mb": _status_mb("VmHWM"),
            }
        )

    def qt() -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication, QMainWindow

        held["app"] = QApplication.instance() or QApplication([])
        held["window"] = QMainWindow()
        held["window"].show()

    def whisper() -> None:
        from app.audio.transcribers import WhisperTranscriber

        held["whisper"] = WhisperTranscriber(cpu_threads=threads)

    def transcribe() -> None:
        held["whisper"].transcribe(speech)

    def detector() -> None:
        from app.audio.streaming import SpeechDetector

        held["vad"] = SpeechDetector()
        held["vad"].probability(speech[:512])

    def smart_turn() -> None:
        from app.audio.smart_turn import SmartTurnModel

        held["turn"] = SmartTurnModel()
        held["turn"].probability_finished(speech)

    def audio_devices() -> None:
        import sounddevice

        held["devices"] = sounddevice.query_devices()

    step("Python, NumPy and the app's core", lambda: None)
    step("Qt (PySide6) and a window", qt)
    step("Whisper tiny.en loaded (CTranslate2, int8)", whisper)
    step("a 6 s reply transcribed (buffers, threads)", transcribe)
    step("Silero voice-activity detector (onnxruntime)", detector)
    step("Smart Turn v3.2 (onnxruntime) and one judgement", smart_turn)
    step("PortAudio devices listed", audio_devices)
    return steps


def main() -> int:
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    print(json.dumps({"whisper_threads": threads, "steps": measure_steps(threads)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
