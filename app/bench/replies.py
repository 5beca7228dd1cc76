"""The benchmark's spoken replies: espeak-ng voices at four lengths, and real recordings."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.audio.audio_file import read_audio_file
from app.core.ports import SAMPLE_RATE, Samples
from app.errors import UserError
from app.paths import PROJECT_ROOT

RECORDINGS_DIR = PROJECT_ROOT.parent / "shared" / "data" / "speech"
RECORDINGS = (
    (
        "jfk.flac",
        "And so, my fellow Americans, ask not what your country can do for you, "
        "ask what you can do for your country.",
    ),
    ("one_two_three.wav", "one two three"),
)
LENGTHS = (3, 8, 15, 30)
VOICES = ("en-us", "en-gb+f3")
# A microphone hears a moment of room before anyone speaks.
LEAD_IN_SECONDS = 0.3
# What a customer-service rep says; sentences are added until a reply is long enough.
SENTENCES = (
    "I understand why you are worried about this.",
    "I can see the payment on your account right now.",
    "You are right to be careful, and I would feel the same.",
    "I will block the card straight away so nothing else can be taken.",
    "You do not need to tell me your PIN or your full card number.",
    "We will treat the charge as fraud and refund it to you.",
    "You will get a text message to confirm the refund within the hour.",
    "Your new card will arrive in three to five working days.",
    "If you would rather check that this call is genuine, you can hang up and call the number "
    "on the back of your card.",
    "I will call you back tomorrow afternoon to make sure the money has arrived.",
    "Is there anything else about the payment that worries you?",
    "Thank you for staying on the line while I sorted this out.",
)


class BenchInputError(UserError):
    """The benchmark cannot build its replies; the message is one line for the user."""


@dataclass(frozen=True)
class BenchReply:
    """One reply to play into the listener, with what was said and when the voice stops."""

    name: str
    group: str  # the length class it is reported under: "3 s" ... "30 s", or the file name
    source: str  # "espeak-ng <voice>" or "recording"
    text: str
    samples: Samples
    last_voice_seconds: float  # from the start of `samples` to the end of the last voiced audio

    @property
    def seconds(self) -> float:
        return self.samples.size / SAMPLE_RATE - LEAD_IN_SECONDS


def last_voice_seconds(samples: Samples) -> float:
    """Where the voice ends: the last 10 ms frame within 30 dB of the loudest one."""
    frame = SAMPLE_RATE // 100
    count = samples.size // frame
    levels = np.sqrt(np.mean(samples[: count * frame].reshape(count, frame) ** 2, axis=1))
    voiced = np.flatnonzero(levels >= levels.max() * 10 ** (-30 / 20))
    return float((voiced[-1] + 1) * frame / SAMPLE_RATE) if voiced.size else 0.0


def _with_lead_in(samples: Samples) -> Samples:
    silence = np.zeros(int(LEAD_IN_SECONDS * SAMPLE_RATE), dtype=np.float32)
    return np.concatenate([silence, samples.astype(np.float32)])


def _espeak(text: str, voice: str, folder: Path) -> Samples:
    path = folder / "reply.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True)
    return read_audio_file(path)


def synthesised_reply(seconds: int, voice: str, folder: Path) -> BenchReply:
    """A reply at least `seconds` long (whole sentences), spoken by an espeak-ng voice."""
    sentences: list[str] = []
    samples = np.zeros(0, dtype=np.float32)
    start = (seconds * 7 + len(voice)) % len(SENTENCES)  # different words for each reply
    for step in range(len(SENTENCES) * 2):
        sentences.append(SENTENCES[(start + step) % len(SENTENCES)])
        samples = _espeak(" ".join(sentences), voice, folder)
        if samples.size >= seconds * SAMPLE_RATE * 0.95:
            break
    audio = _with_lead_in(samples)
    return BenchReply(
        name=f"{seconds} s, {voice}",
        group=f"{seconds} s",
        source=f"espeak-ng {voice}",
        text=" ".join(sentences),
        samples=audio,
        last_voice_seconds=last_voice_seconds(audio),
    )


def bench_replies(
    lengths: tuple[int, ...], voices: tuple[str, ...], recordings: bool
) -> list[BenchReply]:
    """The replies to play: every length in every voice, then the real recordings."""
    if shutil.which("espeak-ng") is None:
        raise BenchInputError("espeak-ng is not installed: sudo apt-get install espeak-ng")
    replies = []
    with tempfile.TemporaryDirectory(prefix="skeptic-bench-") as folder:
        for seconds in lengths:
            for voice in voices:
                replies.append(synthesised_reply(seconds, voice, Path(folder)))
    if recordings:
        for file_name, text in RECORDINGS:
            path = RECORDINGS_DIR / file_name
            if not path.is_file():
                raise BenchInputError(f"recording missing: {path}")
            audio = _with_lead_in(read_audio_file(path))
            replies.append(
                BenchReply(
                    file_name,
                    f"{file_name} ({audio.size / SAMPLE_RATE - LEAD_IN_SECONDS:.1f} s)",
                    "recording",
                    text,
                    audio,
                    last_voice_seconds(audio),
                )
            )
    return replies
