"""Listening through a real audio path: espeak-ng speech played into the PulseAudio virtual
microphone, recorded by MicrophoneListener, transcribed by Whisper.

Also the replayed source, which pushes a recording through the same listening code.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyaudio
import pytest

from app.audio.audio_file import read_audio_file
from app.audio.microphone import (
    NO_MICROPHONE,
    MicrophoneListener,
    NoMicrophoneError,
    list_microphones,
)
from app.audio.transcribers import WhisperTranscriber
from app.core.ports import SAMPLE_RATE, Listener, Samples
from app.core.wer import word_error_rate

REPLY = "I understand your concern. Let me check your account right now."
LONG_REPLY = (
    "I can see why this looks wrong to you, so let me walk you through every charge on your "
    "bill, one line at a time, until it all makes sense."
)
SECONDS_TO_WAIT = 20.0


@pytest.fixture(scope="module")
def whisper() -> WhisperTranscriber:
    return WhisperTranscriber()


@pytest.fixture(scope="module")
def reply_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _synthesise(REPLY, tmp_path_factory.mktemp("replies") / "reply.wav")


@pytest.fixture(scope="module")
def long_reply_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _synthesise(LONG_REPLY, tmp_path_factory.mktemp("replies") / "long_reply.wav")


@pytest.fixture
def worker() -> Iterator[ThreadPoolExecutor]:
    """The thread that listens, as the app's listening worker does."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        yield executor


def _synthesise(text: str, path: Path) -> Path:
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(path), text], check=True)
    return path


def _say_into_microphone(wav: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(["paplay", "--device=vmic_sink", str(wav)])


class LevelLog:
    """Collects the meter levels and signals when speech-level input has arrived."""

    def __init__(self) -> None:
        self.levels: list[float] = []
        self.loud = threading.Event()

    def __call__(self, level: float) -> None:
        self.levels.append(level)
        if level > 0.3:
            self.loud.set()


def _start_listening(
    worker: ThreadPoolExecutor, listener: MicrophoneListener, on_level: Callable[[float], None]
) -> Future[Samples]:
    future = worker.submit(listener.listen, on_level)
    if not listener.ready.wait(SECONDS_TO_WAIT):
        future.result(timeout=1)  # shows the listener's error, if it failed
        pytest.fail("the microphone never delivered audio")
    return future


@pytest.mark.audio
def test_hands_free_reply_is_recorded_and_transcribed(
    virtual_audio: None, worker: ThreadPoolExecutor, whisper: WhisperTranscriber, reply_wav: Path
) -> None:
    listener = MicrophoneListener()
    listener.calibrate(0.3)
    meter = LevelLog()

    future = _start_listening(worker, listener, meter)
    speaking = _say_into_microphone(reply_wav)
    samples = future.result(timeout=SECONDS_TO_WAIT)
    speaking.wait(timeout=SECONDS_TO_WAIT)

    reply_seconds = len(read_audio_file(reply_wav)) / SAMPLE_RATE
    assert reply_seconds - 0.3 < len(samples) / SAMPLE_RATE < reply_seconds + 1.5
    assert word_error_rate(REPLY, whisper.transcribe(samples).text) <= 0.15
    assert max(meter.levels) > 0.5
    assert not listener.ready.is_set()


@pytest.mark.audio
def test_push_to_talk_records_until_finished(
    virtual_audio: None, worker: ThreadPoolExecutor, whisper: WhisperTranscriber, reply_wav: Path
) -> None:
    listener = MicrophoneListener(push_to_talk=True, pause_seconds=0.3)
    meter = LevelLog()

    future = _start_listening(worker, listener, meter)
    _say_into_microphone(reply_wav).wait(timeout=SECONDS_TO_WAIT)
    # Pauses in the reply do not end a push-to-talk recording; only finish() does.
    assert not future.done()
    listener.finish()
    samples = future.result(timeout=2)

    assert word_error_rate(REPLY, whisper.transcribe(samples).text) <= 0.15
    assert meter.loud.is_set()
    assert min(meter.levels) < 0.1  # the silence before the reply


@pytest.mark.audio
def test_stop_abandons_a_reply_promptly(
    virtual_audio: None, worker: ThreadPoolExecutor, long_reply_wav: Path
) -> None:
    listener = MicrophoneListener()
    meter = LevelLog()

    future = _start_listening(worker, listener, meter)
    speaking = _say_into_microphone(long_reply_wav)
    try:
        assert meter.loud.wait(SECONDS_TO_WAIT), "the reply never reached the microphone"
        stopped_at = time.monotonic()
        listener.stop()
        samples = future.result(timeout=2)
        seconds_to_stop = time.monotonic() - stopped_at
    finally:
        speaking.terminate()
        speaking.wait()

    assert samples.size == 0
    assert samples.dtype == np.float32
    assert seconds_to_stop < 0.3


@pytest.mark.audio
def test_hands_free_gives_up_when_nobody_speaks(
    virtual_audio: None, worker: ThreadPoolExecutor
) -> None:
    listener = MicrophoneListener(wait_seconds=0.5)
    meter = LevelLog()

    future = _start_listening(worker, listener, meter)
    samples = future.result(timeout=SECONDS_TO_WAIT)

    assert samples.size == 0
    assert meter.levels
    assert max(meter.levels) < 0.1


@pytest.mark.audio
def test_falls_back_to_the_device_rate_when_16_khz_is_refused(
    virtual_audio: None,
    worker: ThreadPoolExecutor,
    whisper: WhisperTranscriber,
    reply_wav: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    requested_rates: list[int] = []
    real_open = pyaudio.PyAudio.open

    def open_refusing_16_khz(self: pyaudio.PyAudio, *args: object, **kwargs: object) -> object:
        rate = kwargs["rate"]
        assert isinstance(rate, int)
        requested_rates.append(rate)
        if rate == SAMPLE_RATE:
            raise OSError(-9997, "Invalid sample rate")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pyaudio.PyAudio, "open", open_refusing_16_khz)
    listener = MicrophoneListener(push_to_talk=True)

    future = _start_listening(worker, listener, LevelLog())
    _say_into_microphone(reply_wav).wait(timeout=SECONDS_TO_WAIT)
    listener.finish()
    samples = future.result(timeout=2)

    assert requested_rates[0] == SAMPLE_RATE
    assert requested_rates[1] != SAMPLE_RATE
    assert word_error_rate(REPLY, whisper.transcribe(samples).text) <= 0.15


@pytest.mark.audio
def test_microphones_are_listed_and_chosen_by_name(virtual_audio: None) -> None:
    names = list_microphones()

    assert "pulse" in names
    MicrophoneListener("pulse")
    with pytest.raises(NoMicrophoneError, match="No microphone named 'Studio mic'") as raised:
        MicrophoneListener("Studio mic")
    assert "\n" not in str(raised.value)
    with pytest.raises(NoMicrophoneError, match="No microphone with number 99"):
        MicrophoneListener(99)


def test_no_input_device_gives_a_clear_message(tmp_path: Path) -> None:
    # A PulseAudio server that is not there: on a machine without sound cards nothing can record.
    environment = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path}/no-server"}
    probe = (
        "from app.audio.microphone import MicrophoneListener, NoMicrophoneError, list_microphones\n"
        "if list_microphones(): print('HARDWARE'); raise SystemExit\n"
        "try:\n    MicrophoneListener()\nexcept NoMicrophoneError as error:\n    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    if result.stdout.strip() == "HARDWARE":
        pytest.skip("this machine has a sound card that ALSA sees without PulseAudio")
    assert result.stdout.strip() == NO_MICROPHONE
    # The sound system's probing noise is hidden from the user.
    assert "ALSA lib" not in result.stderr


def _with_silence(samples: Samples, before: float, after: float) -> Samples:
    return np.concatenate(
        [
            np.zeros(int(before * SAMPLE_RATE), dtype=np.float32),
            samples,
            np.zeros(int(after * SAMPLE_RATE), dtype=np.float32),
        ]
    )


@pytest.mark.slow
def test_a_replayed_recording_goes_through_the_listening_code(
    speech_data: Path, whisper: WhisperTranscriber
) -> None:
    jfk = read_audio_file(speech_data / "jfk.flac")
    listener: Listener = MicrophoneListener.from_samples(_with_silence(jfk, before=1.0, after=2.0))
    meter = LevelLog()

    samples = listener.listen(meter)

    # Leading and trailing silence are trimmed to the recogniser's half-second margins.
    assert len(jfk) / SAMPLE_RATE < len(samples) / SAMPLE_RATE < len(jfk) / SAMPLE_RATE + 1.7
    assert (
        word_error_rate(
            "and so my fellow americans ask not what your country can do for you "
            "ask what you can do for your country",
            whisper.transcribe(samples).text,
        )
        == 0.0
    )
    # About twenty levels a second.
    assert len(meter.levels) == pytest.approx(20 * len(samples) / SAMPLE_RATE, rel=0.3)
    assert meter.loud.is_set()


def test_a_replayed_recording_can_be_heard_again_and_in_push_to_talk(speech_data: Path) -> None:
    recording = read_audio_file(speech_data / "one_two_three.wav")
    listener = MicrophoneListener.from_samples(recording, push_to_talk=True)

    first = listener.listen()
    second = listener.listen()

    # Push-to-talk keeps everything, to the end of the recording (16-bit rounding aside).
    assert len(first) == len(recording)
    np.testing.assert_allclose(first, recording, atol=1e-4)
    np.testing.assert_array_equal(first, second)
