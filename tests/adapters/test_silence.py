"""No speech means no words: silence and room noise are never transcribed as a reply."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from app.audio.audio_file import read_audio_file
from app.audio.speech_presence import holds_speech
from app.audio.transcribers import SphinxTranscriber, WhisperTranscriber
from app.core.ports import SAMPLE_RATE
from tests.e2e.test_cli import CUSTOMER, assert_one_line_error, run_cli


def room_noise(seconds: float, level: float = 0.01) -> np.ndarray:
    generator = np.random.default_rng(7)
    return (generator.standard_normal(int(seconds * SAMPLE_RATE)) * level).astype(np.float32)


@pytest.fixture(scope="module")
def whisper() -> WhisperTranscriber:
    return WhisperTranscriber()


@pytest.mark.parametrize(
    "samples",
    [np.zeros(30 * SAMPLE_RATE, dtype=np.float32), room_noise(30)],
    ids=["30-s-of-silence", "30-s-of-room-noise"],
)
def test_whisper_hears_no_words_in_silence(
    whisper: WhisperTranscriber, samples: np.ndarray
) -> None:
    transcript = whisper.transcribe(samples)

    assert transcript.text == ""
    assert transcript.words == ()
    assert transcript.audio_seconds == pytest.approx(30)


def test_sphinx_hears_no_words_in_silence() -> None:
    assert SphinxTranscriber().transcribe(room_noise(5)).text == ""


def test_ten_minutes_of_silence_are_checked_quickly() -> None:
    started = time.perf_counter()
    assert not holds_speech(np.zeros(600 * SAMPLE_RATE, dtype=np.float32))
    assert not holds_speech(room_noise(120))
    assert time.perf_counter() - started < 20


def test_speech_is_still_heard(speech_data: Path, whisper: WhisperTranscriber) -> None:
    samples = read_audio_file(speech_data / "one_two_three.wav")
    assert holds_speech(samples)
    assert whisper.transcribe(samples * 0.05).text  # quiet speech is speech too


def test_score_of_a_silent_recording_says_no_reply_was_heard(tmp_path: Path) -> None:
    silent = tmp_path / "silent.wav"
    soundfile.write(str(silent), room_noise(30), SAMPLE_RATE)

    result = run_cli("score", "--customer", CUSTOMER, "--audio", str(silent))

    assert_one_line_error(result, "no reply was heard", str(silent))
    heard = run_cli("transcribe", str(silent))
    assert heard.returncode == 0 and heard.stdout.splitlines()[0] == "(no speech heard)"
