"""The terminal's side of a call: unsure words are confirmed, as in the window."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.commands.terminal_presenter import TerminalPresenter
from app.core.call_events import EndRequested, Event, ReplyTyped, TranscriptConfirmed
from tests.unit.machine_helpers import scenario, spoken


def _presenter(tmp_path: Path, answers: list[str]) -> tuple[TerminalPresenter, list[Event]]:
    posted: list[Event] = []

    def read(_prompt: str) -> str:
        if not answers:
            raise EOFError
        return answers.pop(0)

    presenter = TerminalPresenter(scenario(tmp_path), read)
    presenter.post = posted.append
    return presenter, posted


def test_unsure_words_are_shown_marked_and_enter_keeps_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    presenter, posted = _presenter(tmp_path, [""])
    presenter.ask_to_confirm(spoken("I'll lock the card", unsure=True))
    assert "[lock]" in capsys.readouterr().out
    assert posted == [TranscriptConfirmed("")]  # the machine keeps what was heard


def test_a_correction_is_posted_and_the_end_of_input_ends_the_call(tmp_path: Path) -> None:
    presenter, posted = _presenter(tmp_path, ["I'll block the card"])
    presenter.ask_to_confirm(spoken("I'll lock the card", unsure=True))
    presenter.ask_for_typed_reply()
    assert posted == [TranscriptConfirmed("I'll block the card"), EndRequested()]


def test_an_empty_typed_reply_is_asked_again(tmp_path: Path) -> None:
    presenter, posted = _presenter(tmp_path, ["", "  ", "Hello there", "/end"])
    presenter.ask_for_typed_reply()
    presenter.ask_for_typed_reply()
    assert posted == [ReplyTyped("Hello there"), EndRequested()]
