"""`skeptic bench`: how quickly the customer answers, measured on real turns.

Recorded replies are replayed in real time through the listener the microphone uses, heard by
the product's streaming pipeline and by the straightforward build, scored, and answered by the
customer's voice. Prints medians and 95th percentiles, how they grow with the reply's length,
the app's launch times, peak memory and word error rates, each against its target.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from app.audio.playback import UnplayedOutput
from app.bench.replies import LENGTHS, VOICES, BenchInputError, BenchReply, bench_replies
from app.bench.startup import LaunchFigures, measure_launch
from app.bench.turns import FastPipeline, StraightforwardPipeline, TurnFigures

SCENARIO_ID = "unrecognised-charge"
TIMED = (
    "response_gap_ms",
    "end_of_speech_wait_ms",
    "transcription_ms",
    "scoring_ms",
    "synthesis_to_first_audio_ms",
)
TARGETS = {
    "response_gap_median_ms": 400.0,
    "response_gap_p95_ms": 700.0,
    "ratio_to_straightforward": 0.25,
    "window_shown_s": 1.0,
    "ready_to_listen_s": 2.5,
    "peak_memory_mb": 450.0,
    "word_error_rate_points_above_full": 1.0,
    "false_cut_offs_on_pauses": 0.0,
    "barge_in_stop_ms": 200.0,
    "barge_in_false_alarms": 0.0,
    "first_reply_transcription_ratio": 1.25,
}


def _progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _spread(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"median": None, "p95": None}
    return {
        "median": round(float(np.median(values)), 1),
        "p95": round(float(np.percentile(values, 95)), 1),
    }


def _figures(turns: list[TurnFigures]) -> dict[str, Any]:
    """Spreads over the turns whose reply was heard to its end, and the same per length."""
    whole = [turn for turn in turns if not turn.cut_short]
    groups: dict[str, list[TurnFigures]] = {}
    for turn in whole:
        groups.setdefault(turn.group, []).append(turn)
    return {
        "all": {name: _spread([getattr(turn, name) for turn in whole]) for name in TIMED},
        "by_length": {
            group: {
                name: _spread([getattr(turn, name) for turn in members])["median"] for name in TIMED
            }
            for group, members in groups.items()
        },
        "cut_short": [turn.reply for turn in turns if turn.cut_short],
        "word_error_rate_percent": _mean_wer(turns),
    }


def _mean_wer(turns: list[TurnFigures]) -> float:
    if not turns:
        return 0.0
    return round(100 * float(np.mean([turn.word_error_rate for turn in turns])), 2)


def _memory_mb(speech_pid: int | None) -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = 0.0
    if speech_pid is not None:
        try:
            status = Path(f"/proc/{speech_pid}/status").read_text()
        except OSError:
            status = ""
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                child = int(line.split()[1]) / 1024
    return {
        "app_process": round(own, 1),
        "speech_process": round(child, 1),
        "total": round(own + child, 1),
    }


def _machine() -> dict[str, Any]:
    model = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        # Other work on the machine slows every figure: the 1-minute load average at the start.
        "load_average_1min": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "system": platform.platform(terse=True),
    }


def _run_turns(
    label: str, turn: Callable[[BenchReply], TurnFigures], replies: list[BenchReply]
) -> list[TurnFigures]:
    figures = []
    for reply in replies:
        result = turn(reply)
        _progress(
            f"{label} {reply.name}: gap {result.response_gap_ms:.0f} ms, "
            f"heard {result.heard[:50]!r}" + (" (cut short)" if result.cut_short else "")
        )
        figures.append(result)
    return figures


def _launches(count: int) -> dict[str, Any]:
    runs: list[LaunchFigures] = []
    for _ in range(count):
        runs.append(measure_launch())
        _progress(f"launch: {runs[-1]}")
    shown = [run.window_shown for run in runs if run.window_shown is not None]
    ready = [run.ready_to_listen for run in runs if run.ready_to_listen is not None]
    return {
        "window_shown_s": _spread(shown),
        "ready_to_listen_s": _spread(ready),
        "note": "; ".join(sorted({run.note for run in runs if run.note})),
    }


def _targets(report: dict[str, Any]) -> list[dict[str, Any]]:
    fast_gap = report["fast"]["all"]["response_gap_ms"]
    launch = report["launch"]
    wer = report["word_error_rate_percent"]
    measured = {
        "response_gap_median_ms": fast_gap["median"],
        "response_gap_p95_ms": fast_gap["p95"],
        "ratio_to_straightforward": report["ratio_to_straightforward"]["median"],
        "window_shown_s": launch["window_shown_s"]["median"],
        "ready_to_listen_s": launch["ready_to_listen_s"]["median"],
        "peak_memory_mb": report["peak_memory_mb"]["total"],
        "word_error_rate_points_above_full": round(wer["streaming"] - wer["full_utterance"], 2),
        "false_cut_offs_on_pauses": report["pauses"]["cut_offs_on_mid_reply_pauses"],
        "barge_in_stop_ms": report["barge_in"].get("stop_ms", {}).get("max"),
        "barge_in_false_alarms": report["barge_in"].get("false_alarms"),
        "first_reply_transcription_ratio": report["first_reply"]["ratio"],
    }
    return [
        {
            "name": name,
            "target": limit,
            "measured": measured[name],
            "met": None if measured[name] is None else bool(measured[name] <= limit),
        }
        for name, limit in TARGETS.items()
    ]


def run_bench(args: argparse.Namespace) -> int:
    from app.audio.playback import Playback, output_device_names
    from app.audio.smart_turn import SmartTurnModel
    from app.audio.speaker import CustomerVoice
    from app.audio.speech_process import SpeechProcess
    from app.audio.transcribers import WhisperTranscriber
    from app.audio.turn_hearer import TurnTakingHearer
    from app.audio.vocabulary import scenario_vocabulary
    from app.bench import turn_taking
    from app.core.scenario import find_scenario, load_scenarios
    from app.core.wer import word_error_rate
    from app.paths import SHIPPED_SCENARIOS_DIR

    quick = bool(args.quick)
    lengths = (3,) if quick else tuple(args.lengths or LENGTHS)
    if any(seconds <= 0 or seconds > 60 for seconds in lengths):
        raise BenchInputError("reply lengths must be between 1 and 60 seconds")
    voices = VOICES[:1] if quick else VOICES
    repeat = max(1, int(args.repeat))
    replies = bench_replies(lengths, voices, recordings=not quick) * repeat
    scenarios, _errors = load_scenarios([SHIPPED_SCENARIOS_DIR])
    scenario = find_scenario(scenarios, SCENARIO_ID)
    has_output = bool(output_device_names())
    playback: Playback = Playback() if has_output else UnplayedOutput()

    started = time.perf_counter()
    whisper = WhisperTranscriber()
    model_load_ms = (time.perf_counter() - started) * 1000
    whisper.warm_up()
    first_reply = turn_taking.first_reply_figures(whisper, replies)
    vocabulary = scenario_vocabulary(scenario)
    _progress(f"model loaded in {model_load_ms:.0f} ms; {len(replies)} replies")
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m app bench" + (" --quick" if quick else ""),
        "machine": _machine(),
        "input": "ReplayedSource in real time, through MicrophoneListener (the microphone's code)",
        "output": "PulseAudio/ALSA device via sounddevice"
        if has_output
        else "none: first audio is when the samples were ready",
        "replies": [
            {"name": r.name, "source": r.source, "seconds": round(r.seconds, 2)}
            for r in replies[: len(replies) // repeat]
        ],
        "model_load_ms": round(model_load_ms, 1),
        "first_reply": first_reply,
    }
    with SpeechProcess() as speech:
        speech.start()
        turn_model = SmartTurnModel()
        turn_model.warm_up()
        hearer = TurnTakingHearer(whisper, turn_model, vocabulary=vocabulary)
        fast = FastPipeline(hearer, CustomerVoice(speech, playback), scenario)
        fast.turn(replies[0])  # warms every path once; not counted
        fast_turns = _run_turns("fast", fast.turn, replies)
        report["peak_memory_mb"] = _memory_mb(speech.pid)
        fast.close()
        report["pauses"] = turn_taking.pause_figures(TurnTakingHearer(whisper, turn_model), quick)
        hearer.close()
    report["barge_in"] = turn_taking.barge_in_figures(quick)
    report["vocabulary_word_error_rate"] = turn_taking.vocabulary_section(whisper, scenarios, quick)
    # Whole replies with the same vocabulary prompt: the comparison isolates transcribing at
    # the pauses from the prompt, whose effect is measured on its own above.
    full = {
        r.name: word_error_rate(r.text, whisper.transcribe_with_prompt(r.samples, vocabulary).text)
        for r in replies
    }
    del whisper
    with SpeechProcess(cache_lines=0) as plain_speech:
        plain_speech.start()
        plain = StraightforwardPipeline(CustomerVoice(plain_speech, playback), scenario)
        plain_turns = _run_turns("straightforward", plain.turn, replies)
        plain.close()
    report["fast"] = _figures(fast_turns)
    report["straightforward"] = _figures(plain_turns)
    paired = [
        fast_turn.response_gap_ms / plain_turn.response_gap_ms
        for fast_turn, plain_turn in zip(fast_turns, plain_turns, strict=True)
        if not fast_turn.cut_short and not plain_turn.cut_short and plain_turn.response_gap_ms > 0
    ]
    report["ratio_to_straightforward"] = {
        key: None if value is None else round(value, 3) for key, value in _ratio(paired).items()
    }
    # Accuracy is compared on the replies heard to their end; cut replies are listed apart.
    whole = [turn for turn in fast_turns if not turn.cut_short]
    report["word_error_rate_percent"] = {
        "streaming": _mean_wer(whole),
        "full_utterance": round(100 * float(np.mean([full[t.reply] for t in whole] or [0])), 2),
        "straightforward": report["straightforward"]["word_error_rate_percent"],
        "replies": len(whole),
    }
    report["launch"] = _launches(1 if quick else 3)
    report["targets"] = _targets(report)
    report["turns"] = {
        "fast": [asdict(turn) for turn in fast_turns],
        "straightforward": [asdict(turn) for turn in plain_turns],
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(_as_text(report))
    return 0


def _ratio(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"median": None, "p95": None}
    return {"median": float(np.median(values)), "p95": float(np.percentile(values, 95))}


def _as_text(report: dict[str, Any]) -> str:
    lines = [
        f"Skeptic response-time bench, {report['date']}",
        f"machine: {report['machine']['cpu']}, {report['machine']['cores']} cores, load "
        f"average {report['machine']['load_average_1min']} at the start",
        f"input: {report['input']}",
        f"output: {report['output']}",
        "",
        f"{'figure (ms)':32} {'fast median':>12} {'fast p95':>9} "
        f"{'plain median':>13} {'plain p95':>10}",
    ]
    for name in TIMED:
        fast, plain = report["fast"]["all"][name], report["straightforward"]["all"][name]
        lines.append(
            f"{name:32} {_num(fast['median']):>12} {_num(fast['p95']):>9} "
            f"{_num(plain['median']):>13} {_num(plain['p95']):>10}"
        )
    lines += ["", "response gap and end-of-speech wait by reply length (medians, ms):"]
    for group, figures in report["fast"]["by_length"].items():
        plain = report["straightforward"]["by_length"].get(group, {})
        lines.append(
            f"  {group:28} fast gap {_num(figures['response_gap_ms']):>6}, wait "
            f"{_num(figures['end_of_speech_wait_ms']):>5}, transcription "
            f"{_num(figures['transcription_ms']):>5} | plain gap "
            f"{_num(plain.get('response_gap_ms')):>6}, transcription "
            f"{_num(plain.get('transcription_ms')):>6}"
        )
    wer = report["word_error_rate_percent"]
    launch = report["launch"]
    lines += [
        "",
        f"model load: {report['model_load_ms']:.0f} ms",
        f"launch to window shown: {_num(launch['window_shown_s']['median'], 2)} s, "
        f"to ready to listen: {_num(launch['ready_to_listen_s']['median'], 2)} s"
        + (f" ({launch['note']})" if launch["note"] else ""),
        f"peak memory: {report['peak_memory_mb']['total']} MB "
        f"(app {report['peak_memory_mb']['app_process']}, "
        f"speech {report['peak_memory_mb']['speech_process']})",
        f"word error rate: streaming {wer['streaming']} %, full utterance "
        f"{wer['full_utterance']} %, straightforward {wer['straightforward']} %",
        f"replies cut short: fast {report['fast']['cut_short'] or 'none'}, "
        f"straightforward {report['straightforward']['cut_short'] or 'none'}",
        f"response gap, fast / straightforward: median "
        f"{_num(report['ratio_to_straightforward']['median'], 3)}",
        *_turn_taking_lines(report),
        "",
        "targets:",
    ]
    for target in report["targets"]:
        verdict = {True: "met", False: "MISSED", None: "not measured"}[target["met"]]
        lines.append(
            f"  {target['name']:36} {_num(target['measured'], 3):>8} "
            f"(target {target['target']:g}) {verdict}"
        )
    return "\n".join(lines)


def _turn_taking_lines(report: dict[str, Any]) -> list[str]:
    pauses, barge_in = report["pauses"], report["barge_in"]
    first, vocabulary = report["first_reply"], report["vocabulary_word_error_rate"]
    wait = pauses["added_wait_complete_ms"]
    lines = [
        f"pause set: {pauses['cut_offs_on_mid_reply_pauses']} cut-offs on "
        f"{pauses['replies_with_mid_reply_pauses']} replies with mid-reply pauses; cut off: "
        f"{pauses['cut_off'] or 'none'}; added wait on complete replies: median "
        f"{_num(wait['median'])} ms, p95 {_num(wait['p95'])} ms",
        f"first reply transcribed in {_num(first['first_ms'])} ms after warm-up "
        f"(later ones {_num(first['later_median_ms'])} ms)",
        f"scenario vocabulary as Whisper's prompt: word error rate {vocabulary['prompted_percent']}"
        f" % with, {vocabulary['plain_percent']} % without, on {vocabulary['replies']} replies",
    ]
    if "stop_ms" in barge_in:
        lines.append(
            f"barge-in at {barge_in['echo_db']} dB echo: customer stopped after median "
            f"{_num(barge_in['stop_ms']['median'])} ms, at most {_num(barge_in['stop_ms']['max'])}"
            f" ms; {barge_in['missed']} of {barge_in['trials']} missed; echo alone fired "
            f"{barge_in['false_alarms']} of {barge_in['echo_alone_runs']} times"
        )
    else:
        lines.append(f"barge-in: not measured ({barge_in['note']})")
    return lines


def _num(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
