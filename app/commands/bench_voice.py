"""`skeptic bench-voice`: how soon the customer starts speaking once their line is chosen.

For each engine installed (espeak-ng, and Piper when the neural-voice extra is there) and a set of
the shipped scenarios' lines, three figures per line, from the moment `say()` is called to the
first sample at the speaker:

- prepared: the line's first sentence was synthesised ahead, as the window does while the trainee
  is still talking (the usual case: the line is one of the likely next lines);
- cold: nothing prepared, so the first sentence is synthesised first;
- whole line: how long synthesising the whole line takes, which is when the first audio would
  start without speaking sentence by sentence.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import threading
import time
from datetime import UTC, datetime
from typing import Any

from app.audio.playback import Playback, output_device_names
from app.audio.speaker import CustomerVoice
from app.audio.voice_setup import close_customer_voice, open_customer_voice
from app.core.scenario import load_scenarios
from app.core.sentences import sentences
from app.core.voice_preset import MOODS, load_voice_preset
from app.paths import SHIPPED_SCENARIOS_DIR

TARGET_MS = 150.0
# Personas that speak with the neural voice when it is installed, and one that never does.
PERSONAS = {"neural": "middle-aged-man", "espeak": "older-woman"}


def run_bench_voice(args: argparse.Namespace) -> int:
    if not output_device_names():
        print("bench-voice: no sound output device (run it through ./scripts/test's devices)")
        return 2
    count = max(2, int(args.lines))
    lines = _lines(count)
    voice = open_customer_voice(None, Playback(), warm=False)
    try:
        voice.speech.start()
        if voice.neural is not None:
            for pack in voice.packs:
                voice.neural.warm_up(pack)
        report: dict[str, Any] = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": f"python -m app bench-voice --lines {count}",
            "machine": f"{platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}",
            "target_ms": TARGET_MS,
            "lines": count,
            "engines": {},
        }
        for engine, persona in PERSONAS.items():
            if engine == "neural" and voice.neural is None:
                report["engines"]["neural"] = "not installed"
                continue
            report["engines"][engine] = _measure(voice, persona, lines)
        report["notices"] = voice.notices
    finally:
        close_customer_voice(voice)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print(report)
    return 0


def _lines(count: int) -> list[tuple[str, str]]:
    """Lines of two sentences or more from the shipped scenarios, with moods in turn."""
    scenarios, _ = load_scenarios([SHIPPED_SCENARIOS_DIR])
    found: list[str] = []
    for scenario in scenarios:
        for line in scenario.opening.lines:
            if len(sentences(line)) >= 2 and line not in found:
                found.append(line)
    return [(line, MOODS[index % len(MOODS)]) for index, line in enumerate(found[:count])]


def _measure(voice: CustomerVoice, persona: str, lines: list[tuple[str, str]]) -> dict[str, Any]:
    speech, pack = voice.engine_for(persona)
    preset = load_voice_preset(persona)
    prepared, cold, whole = [], [], []
    for number, (line, mood) in enumerate(lines):
        # Cold: a line never synthesised (the number makes it new).
        fresh = f"{line} Number {number}."
        cold.append(_first_audio_ms(voice, fresh, persona, mood))
        # Prepared: the first sentence made ready ahead, as CustomerVoice.prepare does for the
        # likely next lines while the trainee speaks.
        first = sentences(line)[0]
        speech.prepare(first, preset, mood, pack)
        deadline = time.monotonic() + 60
        while not speech.is_prepared(first, preset, mood, pack) and time.monotonic() < deadline:
            time.sleep(0.005)
        prepared.append(_first_audio_ms(voice, line, persona, mood))
        started = time.perf_counter()
        speech.synthesise(f"{line} Again {number}.", preset, mood, pack=pack, timeout=60)
        whole.append((time.perf_counter() - started) * 1000)
    return {
        "voice": pack.name if pack is not None else "espeak-ng",
        "prepared_ms": _figures(prepared),
        "cold_ms": _figures(cold),
        "whole_line_ms": _figures(whole),
        "prepared_met": statistics.median(prepared) <= TARGET_MS,
    }


def _first_audio_ms(voice: CustomerVoice, text: str, persona: str, mood: str) -> float:
    """Milliseconds from say() to the first sample at the device; the rest is cut short."""
    heard = threading.Event()
    voice.on_first_audio = lambda _moment: heard.set()
    started = time.perf_counter()
    speaking = threading.Thread(target=voice.say, args=(text, persona, mood), daemon=True)
    speaking.start()
    heard.wait(60)
    voice.stop()
    speaking.join(10)
    voice.on_first_audio = None
    moment = voice.last_first_audio_time
    return (moment - started) * 1000 if moment is not None else float("nan")


def _figures(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 1),
        "p90": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 1),
        "max": round(ordered[-1], 1),
    }


def _cpus() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _print(report: dict[str, Any]) -> None:
    print(f"{report['date']}  {report['machine']}  ({report['lines']} lines)")
    print(f"first audio after the line is chosen (target {TARGET_MS:.0f} ms when prepared)")
    for engine, figures in report["engines"].items():
        if isinstance(figures, str):
            print(f"  {engine:7} {figures}")
            continue
        print(f"  {engine:7} {figures['voice']}")
        for name in ("prepared_ms", "cold_ms", "whole_line_ms"):
            row = figures[name]
            label = name.removesuffix("_ms").replace("_", " ")
            print(
                f"    {label:11} median {row['median']:7.1f} ms  "
                f"p90 {row['p90']:7.1f}  max {row['max']:7.1f}"
            )
    for notice in report["notices"]:
        print(f"  {notice}")
