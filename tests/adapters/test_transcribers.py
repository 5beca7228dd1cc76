"""The real recognisers on real and synthesised speech, and reading recorded replies."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import app.audio.transcribers as transcribers
from app.audio.audio_file import AudioFileError, read_audio_file
from app.audio.transcribers import (
    ModelUnavailableError,
    SphinxTranscriber,
    WhisperTranscriber,
    load_transcriber,
)
from app.core.ports import SAMPLE_RATE
from app.core.wer import normalise_words, word_error_rate
from tests.audio_files import write_empty_wav, write_mp3

JFK = (
    "And so, my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)

# Realistic agent replies, each in a different espeak-ng voice.
AGENT_REPLIES = [
    ("en-us", "I understand why you're frustrated, and I'm sorry this happened to you."),
    ("en-us+m3", "Let me look at your account right now and see what went wrong."),
    ("en+f3", "You're right to ask. The charge came from the renewal of your plan last month."),
    ("en-gb", "I will refund the full amount today, and you will get an email to confirm it."),
    ("en-us+f2", "Thank you for your patience. Is there anything else I can help you with?"),
]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def whisper() -> Iterator[WhisperTranscriber]:
    yield WhisperTranscriber()


def synthesise(text: str, voice: str, path: Path) -> Path:
    """Speaks `text` with espeak-ng into a WAV file."""
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is not installed")
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True)
    return path


def test_whisper_transcribes_real_speech_word_for_word(
    whisper: WhisperTranscriber, speech_data: Path
) -> None:
    samples = read_audio_file(speech_data / "jfk.flac")

    transcript = whisper.transcribe(samples)

    assert word_error_rate(JFK, transcript.text) == 0.0
    assert transcript.engine == "whisper"
    assert 0.6 < transcript.confidence <= 1.0
    assert transcript.audio_seconds == pytest.approx(11.0, abs=0.1)
    assert 0.0 < transcript.seconds_taken < 5.0
    assert [word.text.strip(",.").lower() for word in transcript.words[:3]] == ["and", "so", "my"]
    starts = [word.start for word in transcript.words]
    assert starts == sorted(starts)
    assert transcript.words[-1].end <= transcript.audio_seconds + 0.1


def test_whisper_understands_agent_replies_in_synthetic_voices(
    whisper: WhisperTranscriber, tmp_path: Path
) -> None:
    errors = 0.0
    word_count = 0
    for number, (voice, text) in enumerate(AGENT_REPLIES):
        samples = read_audio_file(synthesise(text, voice, tmp_path / f"reply{number}.wav"))
        heard = whisper.transcribe(samples).text
        words = len(normalise_words(text))
        errors += word_error_rate(text, heard) * words
        word_count += words
    assert errors / word_count <= 0.15


def test_whisper_digits_match_spoken_numbers(
    whisper: WhisperTranscriber, speech_data: Path
) -> None:
    transcript = whisper.transcribe(read_audio_file(speech_data / "one_two_three.wav"))

    assert word_error_rate("one two three", transcript.text) == 0.0


def test_whisper_hears_nothing_in_silence_or_no_audio(whisper: WhisperTranscriber) -> None:
    assert whisper.transcribe(np.zeros(0, dtype=np.float32)).text == ""
    silent = whisper.transcribe(np.zeros(SAMPLE_RATE, dtype=np.float32))
    assert silent.text == ""
    assert silent.confidence == 0.0


def test_whisper_refuses_stereo_samples(whisper: WhisperTranscriber) -> None:
    with pytest.raises(ValueError, match="mono"):
        whisper.transcribe(np.zeros((SAMPLE_RATE, 2), dtype=np.float32))


def test_sphinx_fallback_transcribes_real_speech(speech_data: Path) -> None:
    transcript = SphinxTranscriber().transcribe(read_audio_file(speech_data / "jfk.flac"))

    assert transcript.engine == "sphinx"
    assert transcript.text.strip()
    assert word_error_rate(JFK, transcript.text) < 0.8
    assert transcript.words
    assert all(not word.text.startswith(("<", "[")) for word in transcript.words)
    # Its accuracy is poor, so its words are always offered for checking.
    assert transcript.is_uncertain


def test_load_transcriber_prefers_whisper() -> None:
    transcriber, warning = load_transcriber()

    assert transcriber.name == "whisper"
    assert warning is None


def test_load_transcriber_falls_back_to_sphinx_when_whisper_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(transcribers, "whisper_model_folder", lambda: tmp_path / "gone")

    transcriber, warning = load_transcriber("whisper")

    assert transcriber.name == "sphinx"
    assert warning is not None
    assert warning.startswith("Whisper could not load (")
    assert warning.endswith("using pocketsphinx: accuracy is poor")
    assert "\n" not in warning


def test_whisper_reports_missing_model_files_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "config.json").write_text("{}")
    monkeypatch.setattr(transcribers, "whisper_model_folder", lambda: tmp_path)

    with pytest.raises(ModelUnavailableError, match=r"missing .*model\.bin") as raised:
        WhisperTranscriber()
    assert "\n" not in str(raised.value)


def test_whisper_reports_a_corrupt_model_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in transcribers.WHISPER_MODEL_FILES:
        (tmp_path / name).write_text("not a model")
    monkeypatch.setattr(transcribers, "whisper_model_folder", lambda: tmp_path)

    with pytest.raises(ModelUnavailableError, match="failed to load") as raised:
        WhisperTranscriber()
    assert "\n" not in str(raised.value)


def test_load_transcriber_rejects_an_unknown_engine() -> None:
    with pytest.raises(ValueError, match="Unknown speech recogniser 'google'"):
        load_transcriber("google")


def test_read_audio_file_gives_16_khz_mono(speech_data: Path, tmp_path: Path) -> None:
    flac = read_audio_file(speech_data / "jfk.flac")
    wav = read_audio_file(speech_data / "one_two_three.wav")  # 44.1 kHz
    mp3_path = tmp_path / "one_two_three.mp3"
    write_mp3(speech_data / "one_two_three.wav", mp3_path)
    mp3 = read_audio_file(mp3_path)

    for samples in (flac, wav, mp3):
        assert samples.dtype == np.float32
        assert samples.ndim == 1
        assert 0.05 < np.abs(samples).max() <= 1.0
    assert len(flac) / SAMPLE_RATE == pytest.approx(11.0, abs=0.05)
    assert len(wav) / SAMPLE_RATE == pytest.approx(2.745, abs=0.02)
    assert len(mp3) / SAMPLE_RATE == pytest.approx(2.745, abs=0.1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Audio file not found"),
        (b"", "Audio file is empty"),
        (b"Dear customer, this is a letter and not a recording.\n", "Not a readable audio file"),
    ],
)
def test_read_audio_file_explains_bad_files_in_one_line(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "reply.wav"
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(AudioFileError, match=message) as raised:
        read_audio_file(path)
    assert "\n" not in str(raised.value)
    assert str(path) in str(raised.value)


def test_read_audio_file_refuses_a_recording_without_sound(tmp_path: Path) -> None:
    path = tmp_path / "zero.wav"
    write_empty_wav(path)

    with pytest.raises(AudioFileError, match="contains no sound"):
        read_audio_file(path)


def test_read_audio_file_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match="Not a file"):
        read_audio_file(tmp_path)
