"""Voice figures measured on real speech and on known timings."""

from __future__ import annotations

import numpy as np
import pytest

from app.audio.audio_file import read_audio_file
from app.audio.transcribers import WhisperTranscriber
from app.audio.voice_features import measure_voice
from app.core.ports import SAMPLE_RATE, Samples
from app.core.transcript import Word
from tests.conftest import SPEECH_DATA


@pytest.fixture(scope="module")
def jfk_words_and_samples() -> tuple[Samples, tuple[Word, ...]]:
    samples = read_audio_file(SPEECH_DATA / "jfk.flac")
    return samples, WhisperTranscriber().transcribe(samples).words


@pytest.mark.slow
def test_real_speech_has_a_plausible_pace_and_pauses(
    jfk_words_and_samples: tuple[Samples, tuple[Word, ...]],
) -> None:
    samples, words = jfk_words_and_samples

    voice = measure_voice(samples, words)

    # 22 words in about 10 s of a slow, rhetorical delivery.
    assert voice.words_per_minute is not None
    assert 90 <= voice.words_per_minute <= 160
    # The speech has deliberate pauses of about a second ("my fellow Americans ... ask not ...").
    assert 2 <= voice.pause_count <= 6
    assert 0.9 < voice.longest_pause_seconds < 1.5
    assert voice.loudness_db is not None
    assert -40 < voice.loudness_db < 0
    assert voice.loudness_variation_db is not None
    assert voice.loudness_variation_db > 1.0


@pytest.mark.slow
def test_louder_audio_measures_louder(
    jfk_words_and_samples: tuple[Samples, tuple[Word, ...]],
) -> None:
    samples, words = jfk_words_and_samples

    normal = measure_voice(samples, words)
    quieter = measure_voice((samples * 0.25).astype(np.float32), words)

    assert normal.loudness_db is not None
    assert quieter.loudness_db is not None
    assert normal.loudness_db - quieter.loudness_db == pytest.approx(12.04, abs=0.5)
    assert quieter.loudness_variation_db == pytest.approx(normal.loudness_variation_db, abs=0.5)


def _words(*spans: tuple[float, float]) -> list[Word]:
    return [
        Word(text=f"w{number}", start=start, end=end) for number, (start, end) in enumerate(spans)
    ]


def _tone(seconds: float, amplitude: float = 0.5) -> np.ndarray:
    times = np.arange(int(seconds * SAMPLE_RATE), dtype=np.float32) / SAMPLE_RATE
    return (amplitude * np.sin(2 * np.pi * 200 * times)).astype(np.float32)


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def test_pauses_are_found_in_the_audio() -> None:
    # Voice, a 0.8 s pause, voice, a 0.2 s gap (word spacing), voice, a 0.5 s pause, voice;
    # the silence before and after the reply is not a pause.
    samples = np.concatenate(
        [
            *(_silence(1.0), _tone(0.6), _silence(0.8), _tone(0.5), _silence(0.2)),
            *(_tone(0.5), _silence(0.5), _tone(0.4), _silence(1.5)),
        ]
    )

    voice = measure_voice(samples, [])

    assert voice.pause_count == 2
    assert voice.longest_pause_seconds == pytest.approx(0.8, abs=0.07)


def test_pace_and_pauses_from_word_timings_when_there_is_no_audio() -> None:
    # Four words over 2 s, with one 0.5 s gap and one 0.2 s gap (word spacing, not a pause).
    words = _words((0.0, 0.4), (0.9, 1.2), (1.4, 1.7), (1.75, 2.0))

    voice = measure_voice(np.zeros(0, dtype=np.float32), words)

    assert voice.words_per_minute == pytest.approx(120.0)
    assert voice.pause_count == 1
    assert voice.longest_pause_seconds == pytest.approx(0.5)


def test_silence_and_too_few_words_are_not_measured() -> None:
    voice = measure_voice(np.zeros(SAMPLE_RATE, dtype=np.float32), _words((0.0, 0.3), (0.4, 0.8)))

    assert voice.words_per_minute is None
    assert voice.loudness_db is None
    assert voice.loudness_variation_db is None
    assert voice.pause_count == 0
    assert voice.longest_pause_seconds == 0.0


def test_steady_tone_has_its_level_and_no_variation() -> None:
    voice = measure_voice(_tone(1.0), [])

    # A sine of amplitude 0.5 has an RMS of 0.354: -9.03 dBFS.
    assert voice.loudness_db == pytest.approx(-9.03, abs=0.1)
    assert voice.loudness_variation_db == pytest.approx(0.0, abs=0.1)
