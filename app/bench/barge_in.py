"""Barge-in through real sound devices: the customer talks, the trainee talks over them.

Runs on the PulseAudio virtual devices that ./scripts/test starts: the customer's line plays on
the "speaker" sink through `Playback`, as in a call, and a loopback mixes the speaker into the
virtual microphone at `echo_db` (about what a laptop's speakers give its own microphone), so
the microphone hears the customer's echo. The trainee's reply is played into the microphone
with paplay. `BargeInDetector` listens to the microphone through `MicrophoneListener`; when it
fires, the customer's playback is stopped.

The **stop time** runs from the moment the trainee's voice reached the microphone (found by
matching the trainee's waveform in what the microphone recorded) to the moment playback had
stopped.
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.audio.audio_file import read_audio_file
from app.audio.barge_in import BargeInDetector
from app.audio.microphone import MicrophoneListener
from app.audio.playback import Playback
from app.core.ports import SAMPLE_RATE, Samples

CUSTOMER_LINE = (
    "I really do not understand why this payment is on my card, and I want someone to "
    "explain it to me right now, because nobody has so far."
)
TRAINEE_REPLY = "I'm sorry, let me stop you there. I can help with that."
MICROPHONE_SINK = "vmic_sink"
SPEAKER_SINK = "speaker"


@dataclass(frozen=True)
class BargeInFigures:
    echo_db: float
    false_alarm: bool  # fired on the customer's echo alone
    detected: bool
    stop_ms: float | None  # trainee's voice at the microphone to the customer silent
    detect_ms: float | None = None  # of which: until the detector fired


def virtual_devices_present() -> bool:
    found = subprocess.run(
        ["pactl", "list", "short", "sinks"], capture_output=True, text=True, check=False
    )
    names = {line.split("\t")[1] for line in found.stdout.splitlines() if "\t" in line}
    return {MICROPHONE_SINK, SPEAKER_SINK} <= names


class SpeakerEcho:
    """A PulseAudio loopback from the speaker into the microphone, at a chosen level."""

    def __init__(self, echo_db: float) -> None:
        self.echo_db = echo_db
        self._module: str | None = None

    def __enter__(self) -> SpeakerEcho:
        self._module = subprocess.run(
            [
                "pactl",
                "load-module",
                "module-loopback",
                f"source={SPEAKER_SINK}.monitor",
                f"sink={MICROPHONE_SINK}",
                "latency_msec=30",
                "source_dont_move=true",
                "sink_dont_move=true",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        listing = subprocess.run(
            ["pactl", "list", "sink-inputs"], capture_output=True, text=True, check=True
        ).stdout
        for block in listing.split("Sink Input #")[1:]:
            index = block.split(maxsplit=1)[0]
            if f"Owner Module: {self._module}\n" in block:
                subprocess.run(
                    ["pactl", "set-sink-input-volume", index, f"{self.echo_db}dB"], check=True
                )
                break
        else:
            raise RuntimeError("the speaker-to-microphone loopback did not start")
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._module:
            subprocess.run(["pactl", "unload-module", self._module], check=False)


def _espeak(text: str, voice: str, path: Path) -> None:
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True)


def _native_wav(path: Path) -> tuple[Samples, int]:
    import soundfile

    samples, rate = soundfile.read(str(path), dtype="float32", always_2d=False)
    return np.asarray(samples, dtype=np.float32), int(rate)


def _onset_in(recording: Samples, voice: Samples) -> int:
    """Where `voice` (16 kHz) starts in `recording`: the best match of its first second."""
    start = int(np.flatnonzero(np.abs(voice) > 0.02)[0])
    probe = voice[start : start + SAMPLE_RATE]
    size = recording.size + probe.size
    fft = 1 << (size - 1).bit_length()
    score = np.fft.irfft(np.fft.rfft(recording, fft) * np.conj(np.fft.rfft(probe, fft)), fft)
    return int(np.argmax(score[: recording.size]))


def measure_barge_in(echo_db: float = -10.0, trainee_after: float | None = 1.5) -> BargeInFigures:
    """One customer line with its echo in the microphone; the trainee speaks after
    `trainee_after` seconds of it (None: never, to check that the echo alone is ignored)."""
    with tempfile.TemporaryDirectory(prefix="skeptic-barge-in-") as name:
        folder = Path(name)
        _espeak(CUSTOMER_LINE, "en-gb+f3", folder / "customer.wav")
        _espeak(TRAINEE_REPLY, "en-us", folder / "trainee.wav")
        line, rate = _native_wav(folder / "customer.wav")
        trainee = read_audio_file(folder / "trainee.wav")
        playback = Playback()
        detector = BargeInDetector()
        listener = MicrophoneListener(max_reply_seconds=line.size / rate + 3)
        started = threading.Event()
        stopped_at: list[float] = []

        def first_audio(moment: float) -> None:
            detector.playing(line, rate, moment)
            started.set()

        def play() -> None:
            playback.play(line, rate, on_first_audio=first_audio)
            stopped_at.append(time.perf_counter())
            started.set()

        recorded: list[Samples] = []
        arrivals: list[float] = []
        detected = False
        detected_at = 0.0
        with SpeakerEcho(echo_db):
            chunks = listener.chunks()
            try:
                first = next(chunks)  # the microphone is open before the customer speaks
                recorded.append(first)
                arrivals.append(time.perf_counter())
                player = threading.Thread(target=play, name="barge-in-customer", daemon=True)
                player.start()
                started.wait(5)
                speaking: subprocess.Popen[bytes] | None = None
                for chunk in chunks:
                    now = time.perf_counter()
                    recorded.append(chunk)
                    arrivals.append(now)
                    playing_for = now - (detector.playing_since or now)
                    due = trainee_after is not None and playing_for > trainee_after
                    if due and speaking is None:
                        speaking = subprocess.Popen(
                            ["paplay", f"--device={MICROPHONE_SINK}", str(folder / "trainee.wav")]
                        )
                    if not detected and detector.hear(chunk, now):
                        detected = True
                        detected_at = time.perf_counter()
                        playback.stop()
                    if stopped_at and (not detected or now - stopped_at[0] > 0.5):
                        break  # the line was stopped (and the stop recorded), or it ended
                player.join(5)
                if speaking is not None:
                    speaking.wait(10)
            finally:
                chunks.close()
    recording = np.concatenate(recorded)
    if trainee_after is None:
        return BargeInFigures(echo_db, detected, detected, None)
    onset_index = _onset_in(recording, trainee)
    ends = np.cumsum([chunk.size for chunk in recorded])
    chunk_of_onset = int(np.searchsorted(ends, onset_index, side="right"))
    # A chunk arrives when its last sample is captured; the onset is that far before it.
    onset_at = arrivals[chunk_of_onset] - (ends[chunk_of_onset] - onset_index) / SAMPLE_RATE
    if not detected or not stopped_at:
        return BargeInFigures(echo_db, False, detected, None)
    return BargeInFigures(
        echo_db,
        False,
        detected,
        round(float(stopped_at[0] - onset_at) * 1000, 1),
        round(float(detected_at - onset_at) * 1000, 1),
    )
