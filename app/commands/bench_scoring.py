"""Scoring speed: text replies per second, and milliseconds for the voice figures of a reply.

Run as `python -m app.commands.bench_scoring [LABELLED.jsonl] [AUDIO]`. A benchmark, not a test:
it prints figures for docs/performance.md and never fails on them.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

from app.commands.calibrate import read_labelled
from app.core.evaluation import evaluate, semantic
from app.core.evaluation.customer import read_customer

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SET = ROOT / "tests" / "data" / "scoring-tuning.jsonl"
DEFAULT_AUDIO = ROOT.parent / "shared" / "data" / "speech" / "jfk.flac"
TEXT_SECONDS = 3.0
VOICE_RUNS = 30


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("labelled", nargs="?", default=str(DEFAULT_SET))
    parser.add_argument("audio", nargs="?", default=str(DEFAULT_AUDIO))
    args = parser.parse_args()
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, Python {platform.python_version()}")
    _bench_text(Path(args.labelled))
    _bench_voice(Path(args.audio))
    return 0


def _bench_text(path: Path) -> None:
    pairs = [(item.customer, item.reply) for item in read_labelled(path)]
    semantic.warm_up()
    for customer, reply in pairs:  # warm up the compiled patterns
        evaluate(customer, reply)
    cases = (("replies to lines seen before", False), ("every line and reply new", True))
    for label, fresh in cases:
        scored, started = 0, time.perf_counter()
        while time.perf_counter() - started < TEXT_SECONDS:
            for customer, reply in pairs:
                if fresh:  # nothing read or embedded before, as with a trainee's new reply
                    read_customer.cache_clear()
                    semantic.embed.cache_clear()
                evaluate(customer, reply)
            scored += len(pairs)
        elapsed = time.perf_counter() - started
        print(
            f"text ({label}): {scored / elapsed:,.0f} replies/s "
            f"({elapsed / scored * 1000:.3f} ms each, {scored} replies from {path.name})"
        )


def _bench_voice(path: Path) -> None:
    from app.audio.audio_file import read_audio_file
    from app.audio.transcribers import WhisperTranscriber
    from app.audio.voice_features import measure_voice

    samples = read_audio_file(path)
    transcript = WhisperTranscriber().transcribe(samples)
    measure_voice(samples, transcript.words)
    timings = []
    for _ in range(VOICE_RUNS):
        started = time.perf_counter()
        voice = measure_voice(samples, transcript.words)
        evaluate("Is this a scam?", transcript.text, voice=voice)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"voice figures + scoring for {transcript.audio_seconds:.1f} s of speech ({path.name}): "
        f"median {statistics.median(timings):.1f} ms, worst {max(timings):.1f} ms "
        f"over {VOICE_RUNS} runs (after transcription)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
