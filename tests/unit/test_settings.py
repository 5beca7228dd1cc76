from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import Settings, load_settings, save_settings, settings_path


def test_settings_round_trip_through_the_config_folder(private_config_dir: Path) -> None:
    chosen = Settings(trainee="Dana", mode="push-to-talk", font_size=18, high_contrast=True)
    save_settings(chosen)
    assert settings_path().parent == private_config_dir
    assert load_settings() == (chosen, None)


def test_missing_settings_give_the_defaults() -> None:
    assert load_settings() == (Settings(), None)


def test_a_damaged_settings_file_is_set_aside_with_a_note(private_config_dir: Path) -> None:
    private_config_dir.mkdir()
    settings_path().write_text("{not json", encoding="utf-8")
    settings, note = load_settings()
    assert settings == Settings()
    assert note is not None and "defaults used" in note and "\n" not in note
    assert (private_config_dir / "settings.unreadable.json").read_text() == "{not json"


def test_values_out_of_range_are_not_accepted(private_config_dir: Path) -> None:
    private_config_dir.mkdir()
    settings_path().write_text('{"font_size": 500, "mode": "shouting"}', encoding="utf-8")
    settings, note = load_settings()
    assert settings.font_size == Settings().font_size and note is not None


def test_a_chosen_data_folder_keeps_its_own_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SKEPTIC_CONFIG_DIR")
    room = tmp_path / "room"
    monkeypatch.setenv("SKEPTIC_DATA_DIR", str(room))
    assert settings_path() == room / "settings.json"
    assert load_settings()[0].first_run_done is False  # a fresh data folder: the first-run guide
    save_settings(Settings(trainee="Dana", first_run_done=True))
    monkeypatch.setenv("SKEPTIC_DATA_DIR", str(tmp_path / "other"))
    assert load_settings()[0] == Settings()  # another folder, other settings
    monkeypatch.setenv("SKEPTIC_CONFIG_DIR", str(tmp_path / "config"))
    assert settings_path() == tmp_path / "config" / "settings.json"  # an explicit one wins
