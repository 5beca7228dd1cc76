"""A labelled set of replies with pauses, and how a hearer ends them: cut-offs and waits.

Three kinds of reply, each labelled with where its voice pauses and where it ends:
- real recordings (`jfk.flac` pauses 0.6-1.2 s mid-sentence; `one_two_three.wav` between
  the numbers);
- two-part replies spoken by espeak-ng with a silence of 0.6-1.5 s put in the middle of a
  sentence ("I can see the payment on | your account"), or between two sentences;
- complete single-sentence replies.

Each is replayed in real time through `MicrophoneListener`, as from a microphone. A reply that
the hearer ends before its last voiced audio is a **cut-off**; on a reply heard whole, the
**added wait** is the silence from its last voiced audio to the decision that it was over.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from app.audio.audio_file import read_audio_file
from app.audio.microphone import MicrophoneListener, ReplayedSource
from app.audio.reply import HeardReply
from app.bench.replies import RECORDINGS, RECORDINGS_DIR, BenchInputError, last_voice_seconds
from app.core.ports import SAMPLE_RATE, Samples
from app.core.wer import word_error_rate

LEAD_IN_SECONDS = 0.3
TRAILING_SILENCE_SECONDS = 3.0  # longer than the longest wait, so silence ends every reply
GAPS = (0.6, 0.9, 1.2, 1.5)
VOICES = ("en-us", "en-gb+f3")
MID_SENTENCE = (
    ("I can see the payment on", "your account from last Tuesday."),
    ("The extra charge is for the paper bill and", "I will take it off today."),
    ("I understand why you are worried, because", "nobody told you about the change."),
    ("Your refund of forty pounds will go back to", "the card you paid with."),
    ("If you would rather check that this call is genuine,", "ring the number on your card."),
    ("Let me just look at the", "direct debit on your account."),
)
BETWEEN_SENTENCES = (
    ("I am sorry this happened.", "I will block the card straight away."),
    ("You are right to be careful.", "We will never ask for your PIN."),
)
COMPLETE = (
    "I understand why you are worried about this.",
    "I can see the payment on your account right now.",
    "You do not need to tell me your PIN or your full card number.",
    "We will treat the charge as fraud and refund it to you.",
    "Your new card will arrive in three to five working days.",
    "Is there anything else about the payment that worries you?",
    "Yes, that's right.",
    "Thank you for staying on the line while I sorted this out.",
)
# Where the real recordings pause mid-reply (voice stops, resumes; seconds into the file), found
# with Silero voice-activity detection in 32 ms frames and checked by listening.
RECORDING_PAUSES = {
    "jfk.flac": ((2.20, 3.38), (3.73, 4.05), (4.34, 5.46), (7.57, 8.24)),
    "one_two_three.wav": ((0.47, 1.20), (1.46, 2.10)),
}


class Hearer(Protocol):
    def hear(self, listener: MicrophoneListener) -> HeardReply: ...


@dataclass(frozen=True)
class PauseReply:
    """A reply with its labelled pauses: each (start, end) in seconds of `samples`."""

    name: str
    kind: str  # "recording", "mid-sentence", "between sentences", "complete"
    text: str
    samples: Samples
    pauses: tuple[tuple[float, float], ...]
    last_voice_seconds: float

    @property
    def longest_pause(self) -> float:
        return max((end - start for start, end in self.pauses), default=0.0)


@dataclass(frozen=True)
class PauseResult:
    name: str
    kind: str
    longest_pause: float
    cut_off: bool
    cut_at_pause_seconds: float | None  # how long the pause it was cut at had lasted
    added_wait_ms: float | None  # only for replies heard whole
    verdict: str
    finished_probability: float | None
    word_error_rate: float
    heard: str


def _silence(seconds: float) -> Samples:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def _voiced_span(samples: Samples) -> tuple[float, float]:
    """From the first to the last 10 ms frame within 30 dB of the loudest one, in seconds."""
    frame = SAMPLE_RATE // 100
    count = samples.size // frame
    levels = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    voiced = np.flatnonzero(levels >= levels.max() * 10 ** (-30 / 20))
    if not voiced.size:
        return 0.0, 0.0
    return voiced[0] * frame / SAMPLE_RATE, (voiced[-1] + 1) * frame / SAMPLE_RATE


def _espeak(text: str, voice: str, folder: Path) -> Samples:
    import subprocess

    path = folder / "part.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True)
    return read_audio_file(path)


def _trimmed(samples: Samples) -> Samples:
    start, end = _voiced_span(samples)
    return samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]


def two_part_reply(
    first: str, second: str, gap: float, voice: str, kind: str, folder: Path
) -> PauseReply:
    """`first`, `gap` seconds of silence, then `second`, spoken by espeak-ng."""
    one, two = _trimmed(_espeak(first, voice, folder)), _trimmed(_espeak(second, voice, folder))
    samples = np.concatenate([_silence(LEAD_IN_SECONDS), one, _silence(gap), two])
    pause_start = LEAD_IN_SECONDS + one.size / SAMPLE_RATE
    return PauseReply(
        name=f"{first.split()[0]}...{first.split()[-1]} | {gap:.1f} s | {voice}",
        kind=kind,
        text=f"{first} {second}",
        samples=samples,
        pauses=((pause_start, pause_start + gap),),
        last_voice_seconds=samples.size / SAMPLE_RATE,
    )


def pause_set(quick: bool = False) -> list[PauseReply]:
    """The labelled replies; `quick` keeps one of each kind."""
    import shutil

    if shutil.which("espeak-ng") is None:
        raise BenchInputError("espeak-ng is not installed: sudo apt-get install espeak-ng")
    replies: list[PauseReply] = []
    for file_name, text in RECORDINGS[: 1 if quick else None]:
        path = RECORDINGS_DIR / file_name
        if not path.is_file():
            raise BenchInputError(f"recording missing: {path}")
        audio = np.concatenate([_silence(LEAD_IN_SECONDS), read_audio_file(path)])
        pauses = tuple(
            (start + LEAD_IN_SECONDS, end + LEAD_IN_SECONDS)
            for start, end in RECORDING_PAUSES[file_name]
        )
        replies.append(
            PauseReply(file_name, "recording", text, audio, pauses, last_voice_seconds(audio))
        )
    with tempfile.TemporaryDirectory(prefix="skeptic-pauses-") as name:
        folder = Path(name)
        step = 0
        for first, second in MID_SENTENCE[: 1 if quick else None]:
            for gap in GAPS[-1:] if quick else GAPS:
                voice = VOICES[step % len(VOICES)]
                step += 1
                replies.append(two_part_reply(first, second, gap, voice, "mid-sentence", folder))
        for first, second in BETWEEN_SENTENCES[: 0 if quick else None]:
            for gap in (0.9, 1.5):
                voice = VOICES[step % len(VOICES)]
                step += 1
                replies.append(
                    two_part_reply(first, second, gap, voice, "between sentences", folder)
                )
        for index, text in enumerate(COMPLETE[: 2 if quick else None]):
            audio = np.concatenate(
                [_silence(LEAD_IN_SECONDS), _trimmed(_espeak(text, VOICES[index % 2], folder))]
            )
            replies.append(
                PauseReply(
                    f"{text[:30]}... | {VOICES[index % 2]}",
                    "complete",
                    text,
                    audio,
                    (),
                    audio.size / SAMPLE_RATE,
                )
            )
    return replies


def hear_pause_reply(hearer: Hearer, reply: PauseReply) -> PauseResult:
    """Replays the reply in real time into the hearer and labels how it was ended."""
    source = ReplayedSource(
        reply.samples, realtime=True, trailing_silence_seconds=TRAILING_SILENCE_SECONDS
    )
    heard = hearer.hear(MicrophoneListener(source))
    decided_at = time.perf_counter() - heard.transcribe_after_end_seconds
    assert source.started_at is not None
    decided = decided_at - source.started_at  # seconds into the reply's audio
    cut_off = bool(decided < reply.last_voice_seconds)
    cut_pause = next(
        (decided - start for start, end in reply.pauses if start <= decided <= end + 0.1), None
    )
    return PauseResult(
        name=reply.name,
        kind=reply.kind,
        longest_pause=round(reply.longest_pause, 2),
        cut_off=cut_off,
        cut_at_pause_seconds=None if cut_pause is None else round(cut_pause, 2),
        added_wait_ms=None if cut_off else round((decided - reply.last_voice_seconds) * 1000, 1),
        verdict=heard.verdict,
        finished_probability=heard.finished_probability,
        word_error_rate=word_error_rate(reply.text, heard.transcript.text),
        heard=heard.transcript.text,
    )


def summary(results: list[PauseResult]) -> dict[str, object]:
    """Cut-offs per kind of reply, and the added wait on replies heard whole."""
    kinds: dict[str, dict[str, object]] = {}
    for kind in ("recording", "mid-sentence", "between sentences", "complete"):
        members = [result for result in results if result.kind == kind]
        if not members:
            continue
        waits = [r.added_wait_ms for r in members if r.added_wait_ms is not None]
        kinds[kind] = {
            "replies": len(members),
            "cut_off": sum(result.cut_off for result in members),
            "added_wait_ms": _spread(waits),
        }
    paused = [r for r in results if r.kind in ("recording", "mid-sentence")]
    return {
        "by_kind": kinds,
        "cut_offs_on_mid_reply_pauses": sum(r.cut_off for r in paused),
        "replies_with_mid_reply_pauses": len(paused),
        "cut_off": [r.name for r in results if r.cut_off],
        "added_wait_complete_ms": _spread(
            [r.added_wait_ms for r in results if r.kind == "complete" and r.added_wait_ms]
        ),
        "word_error_rate_percent": round(
            100 * float(np.mean([r.word_error_rate for r in results if not r.cut_off] or [0])), 2
        ),
    }


def _spread(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"median": None, "p95": None}
    return {
        "median": round(float(np.median(values)), 1),
        "p95": round(float(np.percentile(values, 95)), 1),
    }
