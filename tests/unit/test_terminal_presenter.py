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


def _typed_call(tmp_path: Path, lines: list[str]) -> tuple[list[tuple[str, int, bool]], list[str]]:
    """A whole typed call held in the terminal: the turns saved and the customer's lines said."""
    from app.commands.practice import hold_call
    from app.core.session_machine import SessionMachine
    from app.paths import database_path
    from app.storage import SessionStore
    from app.storage.call_record import CallRecord
    from tests.doubles import RecordingSpeaker

    folder = tmp_path / "call"
    folder.mkdir()
    scene = scenario(folder)
    answers = list(lines)
    speaker = RecordingSpeaker()

    def read(_prompt: str) -> str:
        if not answers:
            raise EOFError
        return answers.pop(0)

    with SessionStore.open(database_path(folder)) as store:
        hold_call(
            SessionMachine(scene, seed=7),
            CallRecord(store, print),
            speaker,
            None,
            TerminalPresenter(scene, read),
            "Dana",
        )
        turns = [
            (t.transcript, t.attempt, t.superseded)
            for s in store.sessions()
            for t in store.turns(s.id, with_superseded=True)
        ]
    return turns, [text for text, _voice, _mood in speaker.lines]


def test_the_windows_actions_work_in_the_terminal_and_are_never_replies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reply = "I understand why you're worried; I'll check that charge for you now."
    turns, said = _typed_call(
        tmp_path, ["/retry", "/hint", "/frobnicate", "/repeat", reply, "/retry", "Sorry.", "/end"]
    )
    out = capsys.readouterr().out
    assert "(/retry cannot be used now.)" in out  # nothing to try again before a reply
    assert "Hint: " in out
    assert "unknown command /frobnicate" in out and "/hint" in out
    assert said[0] == said[1]  # /repeat said the opening line again
    transcripts = [text for text, *_ in turns]
    assert not any(text.startswith("/") for text in transcripts)
    assert transcripts == [reply, "Sorry."]  # the retried reply is kept beside the new one
    assert turns[0][2] and not turns[1][2]
