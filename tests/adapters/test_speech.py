"""The customer's voice with the real engines: pyttsx3 + espeak-ng in a child process, and
playback through sounddevice into the PulseAudio virtual speaker, recorded back."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import sounddevice
from numpy.typing import NDArray

from app.audio.playback import Playback
from app.audio.speaker import CustomerVoice
from app.audio.speech_process import SpeechCancelled, SpeechError, SpeechProcess
from app.core.ports import Samples
from app.core.voice_preset import VoicePreset, load_voice_preset, voice_preset_names

pytestmark = pytest.mark.slow

LINE = "I never gave my card number to anyone, so why are you calling me about it?"
SHORT_LINE = "Who gave you my number?"
LONG_LINE = (
    "I have been with this bank for thirty years and nobody has ever called me like this, "
    "so before I say another word you will tell me your name, your branch and your manager."
)


def rms(samples: NDArray[np.floating]) -> float:
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


def median_pitch_hz(samples: Samples, sample_rate: int) -> float:
    """The median fundamental frequency of the voiced 40 ms frames (autocorrelation)."""
    frame = int(0.04 * sample_rate)
    shortest, longest = int(sample_rate / 400), int(sample_rate / 60)
    pitches = []
    for start in range(0, len(samples) - frame, frame // 2):
        chunk = samples[start : start + frame].astype(np.float64)
        if rms(chunk) < 0.05:
            continue
        chunk -= chunk.mean()
        correlation = np.correlate(chunk, chunk, "full")[frame - 1 :]
        lag = shortest + int(np.argmax(correlation[shortest:longest]))
        if correlation[lag] > 0.3 * correlation[0]:
            pitches.append(sample_rate / lag)
    assert len(pitches) > 20, "too few voiced frames to measure pitch"
    return float(np.median(pitches))


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Wait for a condition another process or thread makes true."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        pause.wait(0.01)


@pytest.fixture(scope="module")
def speech() -> Iterator[SpeechProcess]:
    """One warm engine shared by the tests that leave it running."""
    process = SpeechProcess()
    process.start()
    yield process
    process.close()


@pytest.fixture
def own_speech() -> Iterator[SpeechProcess]:
    """An engine of its own, for tests that kill or freeze it."""
    process = SpeechProcess()
    process.start()
    yield process
    process.close()


@pytest.fixture
def older_woman() -> VoicePreset:
    return load_voice_preset("older-woman")


# --- synthesis -------------------------------------------------------------------------------


def test_a_line_becomes_plausible_speech(speech: SpeechProcess, older_woman: VoicePreset) -> None:
    samples, sample_rate = speech.synthesise(LINE, older_woman, "calm")

    assert sample_rate == 22050
    assert samples.dtype == np.float32 and samples.ndim == 1
    seconds_per_word = len(samples) / sample_rate / len(LINE.split())
    assert 0.3 <= seconds_per_word <= 1.0
    assert rms(samples) > 0.05
    assert 0.3 < float(np.abs(samples).max()) <= 1.0


def test_agitated_speech_is_faster_than_calm_for_every_preset(speech: SpeechProcess) -> None:
    for name in voice_preset_names():
        preset = load_voice_preset(name)
        calm, _ = speech.synthesise(LINE, preset, "calm")
        agitated, _ = speech.synthesise(LINE, preset, "agitated")
        assert len(agitated) < 0.92 * len(calm), name


def test_women_sound_higher_than_the_man_and_anger_raises_the_pitch(
    speech: SpeechProcess,
) -> None:
    def pitch(name: str, mood: str) -> float:
        return median_pitch_hz(*speech.synthesise(LINE, load_voice_preset(name), mood))

    man = pitch("middle-aged-man", "calm")
    assert pitch("older-woman", "calm") > 1.4 * man
    assert pitch("young-woman", "calm") > 1.4 * man
    assert pitch("young-woman", "angry") > 1.05 * pitch("young-woman", "calm")


def test_a_missing_language_falls_back_to_the_default_voice_and_says_so_once(
    speech: SpeechProcess, older_woman: VoicePreset, caplog: pytest.LogCaptureFixture
) -> None:
    klingon = older_woman.model_copy(update={"language": "tlh-QO"})

    first, _ = speech.synthesise("Hello there.", klingon, "calm")
    second, _ = speech.synthesise("Hello again.", klingon, "calm")

    assert rms(first) > 0.05 and rms(second) > 0.05
    reported = [warning for warning in speech.warnings if "'tlh-QO'" in warning]
    assert len(reported) == 1
    assert reported[0].startswith("no voice for language 'tlh-QO': using the default voice")
    assert sum("'tlh-QO'" in record.getMessage() for record in caplog.records) == 1


def test_the_engine_process_is_started_once_and_reused(
    speech: SpeechProcess, older_woman: VoicePreset
) -> None:
    pid = speech.pid
    assert pid is not None and pid != os.getpid()
    lengths = set()
    for number in range(25):
        samples, _ = speech.synthesise(f"This is request number {number}.", older_woman, "wary")
        assert rms(samples) > 0.05
        lengths.add(len(samples))
    assert speech.pid == pid
    assert len(lengths) > 1  # every answer is for its own request, not a repeat of the last


def test_a_killed_engine_is_restarted_transparently(
    own_speech: SpeechProcess, older_woman: VoicePreset
) -> None:
    first_pid = own_speech.pid
    assert first_pid is not None
    os.kill(first_pid, signal.SIGKILL)

    samples, _ = own_speech.synthesise(LINE, older_woman, "calm")

    assert rms(samples) > 0.05
    assert own_speech.pid not in (None, first_pid)


def test_a_frozen_engine_times_out_with_a_clear_message_and_is_replaced(
    own_speech: SpeechProcess, older_woman: VoicePreset
) -> None:
    frozen_pid = own_speech.pid
    assert frozen_pid is not None
    os.kill(frozen_pid, signal.SIGSTOP)

    started = time.monotonic()
    with pytest.raises(SpeechError) as raised:
        own_speech.synthesise(LINE, older_woman, "calm", timeout=1.0)
    assert time.monotonic() - started < 3.0
    assert str(raised.value) == (
        "the speech engine did not answer within 1 s; it will be restarted for the next line"
    )

    samples, _ = own_speech.synthesise(LINE, older_woman, "calm")
    assert rms(samples) > 0.05
    assert own_speech.pid not in (None, frozen_pid)


def test_cancelling_a_wait_returns_at_once_and_the_late_answer_is_ignored(
    own_speech: SpeechProcess, older_woman: VoicePreset
) -> None:
    pid = own_speech.pid
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)  # the engine is slow to answer ...
    cancel = threading.Event()
    cancelled_at: list[float] = []

    def cancel_now() -> None:
        cancelled_at.append(time.monotonic())
        cancel.set()

    timer = threading.Timer(0.3, cancel_now)
    timer.start()
    with pytest.raises(SpeechCancelled):
        own_speech.synthesise(LONG_LINE, older_woman, "calm", timeout=30, cancel=cancel)
    assert time.monotonic() - cancelled_at[0] < 0.1
    os.kill(pid, signal.SIGCONT)  # ... and answers the cancelled request late.

    samples, _ = own_speech.synthesise("Short.", older_woman, "calm")
    assert len(samples) / 22050 < 2.0  # the answer to this request, not the long cancelled one
    assert own_speech.pid == pid


def test_an_empty_line_is_refused_in_one_line(
    speech: SpeechProcess, older_woman: VoicePreset
) -> None:
    with pytest.raises(SpeechError, match=r"^nothing to say: the customer's line is empty$"):
        speech.synthesise("   ", older_woman, "calm")


def test_the_engine_lists_its_english_voices(speech: SpeechProcess) -> None:
    voices = speech.list_voices()
    assert len(voices) > 10
    assert any("en-gb" in [language.lower() for language in voice.languages] for voice in voices)


# --- playback ----------------------------------------------------------------------------------


def test_no_output_device_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sounddevice, "query_devices", lambda *_: [])
    with pytest.raises(SpeechError, match=r"^no sound output device found: connect speakers"):
        Playback().play(np.zeros(100, dtype=np.float32), 22050)


@pytest.mark.audio
def test_an_unknown_device_name_lists_the_devices(virtual_audio: None) -> None:
    with pytest.raises(SpeechError, match=r"^no output device named 'headset'; available: .*pulse"):
        Playback(device="headset").play(np.zeros(100, dtype=np.float32), 22050)


class SpeakerRecording:
    """Records what is played into the virtual speaker, from its monitor source."""

    def __init__(self, path: Path, sample_rate: int) -> None:
        self.path = path
        self.sample_rate = sample_rate
        self._file = path.open("wb")
        self._process = subprocess.Popen(
            [
                "parec",
                "--device=speaker.monitor",
                "--format=float32le",
                f"--rate={sample_rate}",
                "--channels=1",
                "--latency-msec=20",
            ],
            stdout=self._file,
        )
        wait_until(self._connected, 5, "the recorder to connect to speaker.monitor")

    def _connected(self) -> bool:
        listing = subprocess.run(
            ["pactl", "list", "short", "source-outputs"], capture_output=True, text=True
        ).stdout
        return bool(listing.strip())

    def stop(self) -> Samples:
        self._process.terminate()
        self._process.wait(timeout=5)
        self._file.close()
        return np.fromfile(self.path, dtype=np.float32)


def active_seconds(samples: Samples, sample_rate: int) -> float:
    """Seconds from the first to the last 10 ms frame louder than -40 dBFS."""
    frame = sample_rate // 100
    levels = [rms(samples[i : i + frame]) for i in range(0, len(samples) - frame, frame)]
    loud = [index for index, level in enumerate(levels) if level > 0.01]
    return (loud[-1] - loud[0] + 1) / 100 if loud else 0.0


@pytest.mark.audio
def test_playback_reaches_the_speaker_in_full(
    virtual_audio: None, speech: SpeechProcess, older_woman: VoicePreset, tmp_path: Path
) -> None:
    samples, sample_rate = speech.synthesise(SHORT_LINE, older_woman, "calm")
    recording = SpeakerRecording(tmp_path / "speaker.raw", sample_rate)
    first_audio: list[float] = []

    before = time.perf_counter()
    finished = Playback().play(samples, sample_rate, on_first_audio=first_audio.append)
    after = time.perf_counter()
    heard = recording.stop()

    assert finished is True
    assert len(first_audio) == 1 and before < first_audio[0] < after
    played_seconds = len(samples) / sample_rate
    assert after - before >= played_seconds * 0.95
    assert rms(heard) > 0.02
    assert abs(active_seconds(heard, sample_rate) - active_seconds(samples, sample_rate)) < 0.3


@pytest.mark.audio
def test_stop_ends_playback_at_once(
    virtual_audio: None, speech: SpeechProcess, older_woman: VoicePreset, tmp_path: Path
) -> None:
    samples, sample_rate = speech.synthesise(LONG_LINE, older_woman, "calm")
    assert len(samples) / sample_rate > 5
    recording = SpeakerRecording(tmp_path / "speaker.raw", sample_rate)
    playback = Playback()
    playing = threading.Event()
    outcome: dict[str, float | bool] = {}

    def play() -> None:
        outcome["finished"] = playback.play(samples, sample_rate, lambda _: playing.set())
        outcome["returned_at"] = time.perf_counter()

    player = threading.Thread(target=play)
    player.start()
    assert playing.wait(5), "playback never started"
    stopped_at = time.perf_counter()
    playback.stop()
    player.join(5)
    heard = recording.stop()

    assert outcome["finished"] is False
    assert float(outcome["returned_at"]) - stopped_at < 0.05
    assert active_seconds(heard, sample_rate) < 2.0  # cut off, not the whole line


@pytest.mark.audio
def test_customer_voice_says_a_line_and_can_be_interrupted(
    virtual_audio: None, speech: SpeechProcess
) -> None:
    voice = CustomerVoice(speech, Playback())

    before = time.perf_counter()
    voice.say("Who is this?", "middle-aged-man", "wary")
    first_audio = voice.last_first_audio_time
    assert first_audio is not None and before < first_audio < time.perf_counter()

    returned: list[float] = []

    def say_a_long_line() -> None:
        voice.say(LONG_LINE, "young-woman", "angry")
        returned.append(time.perf_counter())

    speaking = threading.Thread(target=say_a_long_line)
    speaking.start()
    wait_until(
        lambda: voice.last_first_audio_time not in (None, first_audio), 5, "the customer to speak"
    )
    stopped_at = time.perf_counter()
    voice.stop()
    speaking.join(5)
    assert returned and returned[0] - stopped_at < 0.05


# --- lines prepared ahead --------------------------------------------------------------------


def test_a_prepared_line_is_ready_before_it_is_asked_for(
    own_speech: SpeechProcess, older_woman: VoicePreset
) -> None:
    line = "Fine, but I want that refund in writing."
    assert not own_speech.is_prepared(line, older_woman, "wary")

    own_speech.prepare(line, older_woman, "wary")
    wait_until(lambda: own_speech.is_prepared(line, older_woman, "wary"), 15, "the prepared line")
    samples, rate = own_speech.synthesise(line, older_woman, "wary")

    fresh, fresh_rate = own_speech.synthesise(line, older_woman, "angry")  # another mood: new
    assert rate == fresh_rate
    assert len(samples) > rate  # a sentence, not a click
    assert len(fresh) != len(samples)  # anger speaks faster
    assert own_speech.synthesise(line, older_woman, "wary")[0] is samples


def test_lines_queued_before_close_are_not_prepared_after_it(
    own_speech: SpeechProcess, older_woman: VoicePreset
) -> None:
    for number in range(5):
        own_speech.prepare(f"Line number {number}.", older_woman, "calm")
    own_speech.close()

    assert own_speech.pid is None
