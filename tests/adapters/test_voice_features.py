"""Voice figures measured on real speech and on known timings."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

from app.audio.audio_file import read_audio_file
from app.audio.transcribers import WhisperTranscriber
from app.audio.voice_features import measure_voice
from app.core.evaluation import Component, Evaluation, evaluate
from app.core.ports import SAMPLE_RATE, Samples
from app.core.transcript import Word
from app.core.voice import VoiceFeatures
from tests.conftest import SPEECH_DATA


@pytest.fixture(scope="module")
def whisper() -> WhisperTranscriber:
    return WhisperTranscriber()


@pytest.fixture(scope="module")
def jfk_words_and_samples(whisper: WhisperTranscriber) -> tuple[Samples, tuple[Word, ...]]:
    samples = read_audio_file(SPEECH_DATA / "jfk.flac")
    return samples, whisper.transcribe(samples).words


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
    # A man's voice in a lively speech: pitch around 200-250 Hz, varying by a few semitones.
    assert voice.pitch_hz is not None and 150 < voice.pitch_hz < 300
    assert voice.pitch_semitones_variation is not None
    assert 1.5 < voice.pitch_semitones_variation < 6
    # A prepared speech has no "um" or "uh".
    assert voice.hesitation_count <= 1


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


def _speak(folder: Path, name: str, text: str, *options: str) -> Samples:
    """A reply spoken by espeak-ng; -s words a minute, -a amplitude (0-200), -p pitch (0-99)."""
    path = folder / f"{name}.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en-gb", *options, "-w", str(path), text], check=True, timeout=30
    )
    return read_audio_file(path)


CUSTOMER = "There's a payment on my card I never made. Is this some kind of scam?"
FIRST = "I can hear how worrying this is."
SECOND = "I will block the card now and call you back by five today, so nothing else can go out."


def _part(result: Evaluation, name: str) -> Component:
    return next(part for part in result.composure_components if part.name == name)


@pytest.mark.slow
def test_fast_loud_hesitant_speech_scores_lower_composure_than_the_same_words_calmly(
    tmp_path: Path, whisper: WhisperTranscriber
) -> None:
    calm_audio = _speak(tmp_path, "calm", f"{FIRST} {SECOND}", "-s", "120", "-a", "50")
    tense_audio = _speak(
        tmp_path, "tense", f"Um, {FIRST} Uh, um, {SECOND} Um.", "-s", "240", "-a", "200", "-p", "75"
    )
    calm_heard, tense_heard = whisper.transcribe(calm_audio), whisper.transcribe(tense_audio)
    calm = measure_voice(calm_audio, calm_heard.words)
    tense = measure_voice(tense_audio, tense_heard.words)

    assert tense.words_per_minute is not None and calm.words_per_minute is not None
    assert tense.words_per_minute > 200 > calm.words_per_minute
    assert tense.loudness_db is not None and calm.loudness_db is not None
    assert tense.loudness_db - calm.loudness_db > 8
    assert tense.pitch_semitones is not None and calm.pitch_semitones is not None
    assert tense.pitch_semitones - calm.pitch_semitones > 2

    # The same words, judged by voice: first against the reference ranges...
    words = f"{FIRST} {SECOND}"
    calmly = evaluate(CUSTOMER, words, voice=calm)
    tensely = evaluate(CUSTOMER, words, voice=tense)
    assert tensely.composure < calmly.composure - 20
    assert tensely.empathy == calmly.empathy
    assert _part(tensely, "steady_pace").score < 50
    assert any("words a minute (calm range 100-165)" in line for line in tensely.evidence)
    assert any("Slow down" in tip for tip in tensely.tips)

    # ...then against the trainee's own calm voice, which also shows the raised voice and pitch.
    against_usual = evaluate(CUSTOMER, words, voice=tense, baseline=calm)
    assert _part(against_usual, "steady_volume").score < 100
    assert _part(against_usual, "steady_pitch").score < 100
    assert any("against your usual" in line for line in against_usual.evidence)
    assert against_usual.composure <= tensely.composure

    # And as the recogniser heard each one, words and voice together.
    heard_tense = evaluate(CUSTOMER, tense_heard.text, voice=tense)
    heard_calm = evaluate(CUSTOMER, calm_heard.text, voice=calm)
    assert heard_tense.composure < heard_calm.composure


@pytest.mark.slow
def test_a_hesitation_the_recogniser_left_out_is_heard_in_the_audio(
    tmp_path: Path, jfk_words_and_samples: tuple[Samples, tuple[Word, ...]]
) -> None:
    samples, words = jfk_words_and_samples
    uh = _speak(tmp_path, "uh", "uh", "-s", "80")
    sound = uh[np.abs(uh) > 0.01]
    quiet = np.zeros(SAMPLE_RATE // 2, np.float32)
    # The speech, half a second of quiet, an "uh" that no recognised word covers, quiet again.
    with_uh = np.concatenate([samples, quiet, sound, quiet]).astype(np.float32)

    before = measure_voice(samples, words)
    after = measure_voice(with_uh, words)

    assert after.hesitation_count == before.hesitation_count + 1
    assert after.hesitations_per_minute is not None and after.hesitations_per_minute > 0


def test_start_delay_is_passed_through_and_silence_has_no_pitch() -> None:
    voice = measure_voice(np.zeros(SAMPLE_RATE, dtype=np.float32), [], start_delay_seconds=1.5)

    assert voice.start_delay_seconds == 1.5
    assert voice.pitch_semitones is None and voice.pitch_hz is None
    assert isinstance(voice, VoiceFeatures)


def test_a_steady_tone_has_its_pitch() -> None:
    voice = measure_voice(_tone(1.0), [])

    assert voice.pitch_hz == pytest.approx(200.0, rel=0.02)
    assert voice.pitch_semitones == pytest.approx(12.0, abs=0.3)
    assert voice.pitch_semitones_variation == pytest.approx(0.0, abs=0.2)


@pytest.mark.slow
def test_score_with_audio_adds_the_voice_figures_with_their_ranges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main

    _speak(tmp_path, "reply", f"{FIRST} {SECOND}", "-s", "250", "-a", "180")
    spoken = str(tmp_path / "reply.wav")

    assert main(["score", "--customer", CUSTOMER, "--audio", spoken, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)

    assert "nothing else can go out" in result["reply"].lower()
    assert result["voice"]["words_per_minute"]["range"] == [100.0, 165.0]
    assert result["voice"]["words_per_minute"]["value"] > 165
    assert result["components"]["steady_pace"]["score"] < 100
    assert {"empathy", "composure", "evidence", "tips", "components"} <= set(result)

    assert main(["score", "--customer", CUSTOMER, "--audio", spoken]) == 0
    text = capsys.readouterr().out
    assert "steady_pace" in text and "calm range 100-165" in text


def test_score_with_audio_and_jsonl_together_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.cli import main

    assert main(["score", "--jsonl", "-", "--audio", "x.wav"]) == 2
    assert "--audio" in capsys.readouterr().err
