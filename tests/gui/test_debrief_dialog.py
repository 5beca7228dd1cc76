"""The debrief screen: what it says about retried answers, the voice and the trainer's note."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.debrief import build_debrief
from app.core.session import PracticeSession
from app.core.transcript import Transcript
from app.core.voice import VoiceFeatures
from app.gui.debrief_dialog import DebriefDialog, debrief_html
from app.scenario_library import scenario_by_id

CURT = "OK. Give me your card number."
GOOD = "I can hear how worrying this is, and you're right to be careful. I'll block the card now."


def _retried_call(folder: Path, scenario: str = "unrecognised-charge") -> PracticeSession:
    session = PracticeSession(scenario_by_id(folder, scenario), seed=2)
    session.opening()
    session.submit(Transcript.typed(CURT), voice=VoiceFeatures(140.0, 1, 1.2, -20.0, 3.0))
    session.retry_last()
    session.submit(Transcript.typed(GOOD), voice=VoiceFeatures(140.0, 0, 0.3, -20.0, 3.0))
    session.end_early()
    return session


def test_a_retried_answer_shows_labelled_scores_for_both_tries(private_data_dir: Path) -> None:
    session = _retried_call(private_data_dir)
    retried = build_debrief(session).retried[0]
    html = debrief_html(build_debrief(session))
    assert (
        f"Empathy {retried.first_empathy}, composure {retried.first_composure} "
        f"(together {retried.first_score})" in html
    )
    change = retried.final_score - retried.first_score
    assert f"(together {retried.final_score}, {change:+d} on the first try)" in html
    assert f"({retried.first_score})" not in html  # no bare numbers


def test_the_longest_pause_reads_to_a_tenth_of_a_second(private_data_dir: Path) -> None:
    html = debrief_html(build_debrief(_retried_call(private_data_dir)))
    assert "Longest pause: 1.2 s, in reply 1, first try" in html
    assert "0 s" not in html.replace("0-2 s", "")


def test_the_trainer_note_is_shown_after_the_call(qtbot: QtBot, private_data_dir: Path) -> None:
    session = _retried_call(private_data_dir, "price-rise-hidden-fees")
    dialog = DebriefDialog(build_debrief(session))
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    assert "Trainer's note" in text and "line-protection add-on" in text
