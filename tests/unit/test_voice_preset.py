"""Voice presets: the shipped files load, moods change the voice, broken files say what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.voice_preset import (
    MOODS,
    VoicePresetError,
    load_voice_preset,
    load_voice_preset_file,
    voice_preset_names,
)

VALID = """
name = "{name}"
description = "A test customer"
language = "en-GB"
gender = "female"
age = "older"
rate = 150
pitch = 50
volume = 0.8

[moods.agitated]
rate = 1.2
pitch = 1.1
volume = 1.5
"""


def write_preset(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_preset_loads_and_speeds_up_when_agitated() -> None:
    names = voice_preset_names()
    assert {"older-woman", "middle-aged-man", "young-woman"} <= set(names)
    for name in names:
        preset = load_voice_preset(name)
        assert preset.name == name
        calm_rate, calm_pitch, calm_volume = preset.effective("calm")
        agitated_rate, agitated_pitch, agitated_volume = preset.effective("agitated")
        angry_rate, _, _ = preset.effective("angry")
        assert calm_rate < agitated_rate < angry_rate, name
        assert calm_pitch < agitated_pitch, name
        assert calm_volume <= agitated_volume, name


def test_shipped_presets_cover_both_genders_and_every_age() -> None:
    presets = [load_voice_preset(name) for name in voice_preset_names()]
    assert {preset.gender for preset in presets} == {"female", "male"}
    assert {preset.age for preset in presets} == {"young", "middle", "older"}


def test_effective_applies_multipliers_and_keeps_values_in_range(tmp_path: Path) -> None:
    write_preset(tmp_path, "test-voice", VALID.format(name="test-voice"))
    preset = load_voice_preset("test-voice", tmp_path)
    assert preset.effective("calm") == (150, 50, 0.8)  # a mood left out speaks as the base voice
    # 0.8 * 1.5 would be 1.2: volume stops at full.
    assert preset.effective("agitated") == (180, 55, 1.0)


def test_unknown_mood_is_a_one_line_error(tmp_path: Path) -> None:
    write_preset(tmp_path, "test-voice", VALID.format(name="test-voice"))
    preset = load_voice_preset("test-voice", tmp_path)
    with pytest.raises(VoicePresetError) as raised:
        preset.effective("furious")
    assert (
        str(raised.value) == "unknown mood 'furious': expected one of calm, wary, agitated, angry"
    )


def test_unknown_voice_lists_the_known_ones(tmp_path: Path) -> None:
    write_preset(tmp_path, "test-voice", VALID.format(name="test-voice"))
    with pytest.raises(VoicePresetError) as raised:
        load_voice_preset("robot", tmp_path)
    assert str(raised.value) == "unknown voice 'robot'; known voices: test-voice"


def test_a_name_that_is_a_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(VoicePresetError, match=r"^unknown voice '\.\./secrets'"):
        load_voice_preset("../secrets", tmp_path)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("rate = 150", 'rate = "fast"'), "bad.toml: rate: Input should be a valid integer"),
        (
            ("rate = 150", "rate = 20"),
            "bad.toml: rate: Input should be greater than or equal to 80",
        ),
        (
            ("pitch = 50", "pitch = 140"),
            "bad.toml: pitch: Input should be less than or equal to 100",
        ),
        (('gender = "female"', 'gender = "robot"'), "bad.toml: gender: Input should be"),
        (('language = "en-GB"', 'language = "English"'), "bad.toml: language: String should match"),
        (
            ("volume = 0.8", "volume = 0.8\ncolour = 3"),
            "bad.toml: colour: not a field of the voice",
        ),
        (('age = "older"\n', ""), "bad.toml: age: missing (this field is required)"),
        (("[moods.agitated]", "[moods.furious]"), "bad.toml: moods.furious.[key]: not a mood"),
        (
            ("rate = 1.2", "rate = 0"),
            "bad.toml: moods.agitated.rate: Input should be greater than 0",
        ),
        (('name = "bad"', 'name = "other"'), "bad.toml: name: 'other' must match the file name"),
    ],
)
def test_a_broken_file_names_the_file_and_field_in_one_line(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    text = VALID.format(name="bad").replace(*change, 1)
    assert text != VALID.format(name="bad")
    path = write_preset(tmp_path, "bad", text)
    with pytest.raises(VoicePresetError) as raised:
        load_voice_preset_file(path)
    message = str(raised.value)
    assert message.startswith(expected), message
    assert "\n" not in message


def test_a_file_that_is_not_toml_is_a_one_line_error(tmp_path: Path) -> None:
    path = write_preset(tmp_path, "bad", 'name = "bad"\nrate = = 3\n')
    with pytest.raises(VoicePresetError) as raised:
        load_voice_preset_file(path)
    assert str(raised.value).startswith("bad.toml: TOML syntax error: ")
    assert "\n" not in str(raised.value)


def test_every_mood_the_dialogue_uses_is_accepted() -> None:
    preset = load_voice_preset("older-woman")
    for mood in MOODS:
        rate, pitch, volume = preset.effective(mood)
        assert 80 <= rate <= 450 and 0 <= pitch <= 100 and 0 <= volume <= 1
