"""A trainee's own voice, kept with each spoken reply, becomes the baseline for later calls."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from app.core.voice import VoiceFeatures, baseline_from, voice_from_figures
from app.storage import SessionStore
from tests.storage.helpers import make_turn

CALM = VoiceFeatures(140.0, 1, 0.6, -24.0, 4.0, 2.0, 0.8, pitch_semitones=3.0, pitch_hz=120.0)


def test_voice_figures_are_stored_with_a_turn_and_read_back_newest_first(tmp_path: Path) -> None:
    faster = VoiceFeatures(190.0, 0, 0.2, -18.0, 6.0)
    with SessionStore.open(tmp_path / "skeptic.db") as store:
        session_id = store.start_session("Dana", "unrecognised-charge", "Charge", "standard", 25)
        store.save_turn(session_id, make_turn(1, voice=asdict(CALM)))
        store.save_turn(session_id, make_turn(2))  # typed: no voice
        store.save_turn(session_id, make_turn(3, voice=asdict(faster)))
        stored = store.recent_voices("Dana")
        assert store.recent_voices("Someone else") == []
    assert [voice_from_figures(figures) for figures in stored] == [faster, CALM]


def test_figures_from_another_version_are_skipped_not_fatal() -> None:
    assert voice_from_figures({"words_per_minute": 150.0}) is None
    with_extra = {**asdict(CALM), "a_figure_added_later": 1.0}
    assert voice_from_figures(with_extra) == CALM


def test_the_baseline_is_the_median_of_earlier_replies() -> None:
    tense = VoiceFeatures(220.0, 0, 0.1, -12.0, 9.0)
    baseline = baseline_from([CALM, CALM, tense])
    assert baseline is not None and baseline.words_per_minute == 140.0
