"""One loop runs every call: the same scripted call, with the same doubles, held in the
terminal and in the window, leaves the same turns in the database."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.commands.practice import hold_call
from app.commands.terminal_presenter import TerminalPresenter
from app.core.session_machine import SessionMachine
from app.gui.backends import Backends
from app.gui.run import build_window
from app.paths import database_path
from app.scenario_library import scenario_by_id
from app.storage import SessionStore
from app.storage.call_record import CallRecord
from tests.doubles import RecordingSpeaker, ScriptedHearer, TextTranscriber

SEED = 7
SCENARIO_ID = "unrecognised-charge"
UNSURE = "I'll ~lock~ the card right now so no more money can be taken."
CORRECTED = "I'll block the card right now so no more money can be taken."
SCRIPT = [
    UNSURE,
    "I completely understand why you're worried, and you're right to be careful.",
    "We will never ask for your PIN. You can call us back on the number on your card.",
]


Rows = list[tuple[object, ...]]


def _stored(folder: Path) -> tuple[Rows, Rows]:
    with SessionStore.open(database_path(folder)) as store:
        sessions = store.sessions()
        turns: Rows = [
            (
                t.number,
                t.attempt,
                t.superseded,
                t.customer_line,
                t.customer_mood,
                t.transcript,
                t.transcript_heard,
                t.recogniser,
                t.empathy,
                t.composure,
                t.trust_before,
                t.trust_after,
                t.reaction,
                t.evidence,
                t.tips,
                t.concerns_addressed,
            )
            for s in sessions
            for t in store.turns(s.id, with_superseded=True)
        ]
        calls: Rows = [(s.trainee, s.ending, s.turn_count, s.final_trust) for s in sessions]
    return turns, calls


def _in_the_terminal(folder: Path, speaker: RecordingSpeaker) -> None:
    folder.mkdir()
    scenario = scenario_by_id(folder, SCENARIO_ID)
    answers = {"Press Enter": [CORRECTED], "You: ": ["/end"]}

    def read(prompt: str) -> str:
        return next(queue for start, queue in answers.items() if prompt.startswith(start)).pop(0)

    with SessionStore.open(database_path(folder)) as store:
        hold_call(
            SessionMachine(scenario, seed=SEED),
            CallRecord(store, print),
            speaker,
            ScriptedHearer(SCRIPT),
            TerminalPresenter(scenario, read),
            "Dana",
        )


def _in_the_window(qtbot: QtBot, folder: Path, speaker: RecordingSpeaker) -> None:
    hearer = ScriptedHearer(SCRIPT)
    transcriber = TextTranscriber()
    backends = Backends(
        speaker=speaker,
        make_listener=lambda mode, device: None,  # type: ignore[arg-type,return-value]
        load_transcriber=lambda: (transcriber, None),
        make_hearer=lambda mode, device, source: hearer,
    )
    view, controller = build_window(folder, backends, seed=SEED)
    qtbot.addWidget(view)
    try:
        view.trainee.setText("Dana")
        view.scenario.setCurrentIndex(view.scenario.findData(SCENARIO_ID))
        view.start_button.click()
        qtbot.waitUntil(lambda: controller.state == "confirming")
        view.reply.setText(CORRECTED)
        view.reply.returnPressed.emit()
        qtbot.waitUntil(lambda: controller.state == "typing")  # the script is over
        view.end_button.click()
        qtbot.waitUntil(lambda: controller.state == "finished")
        # The feedback pane and the debrief name the same thing to practise next.
        assert controller.session is not None and controller.debrief is not None
        practise_next = controller.session.summary().practise_next
        assert f"Practise next: {practise_next}" in view.feedback.toPlainText()
        assert practise_next in controller.debrief.text.toPlainText()
    finally:
        controller.shutdown()


def test_the_terminal_and_the_window_hold_the_same_call(
    qtbot: QtBot, tmp_path: Path, private_data_dir: Path
) -> None:
    terminal_voice, window_voice = RecordingSpeaker(), RecordingSpeaker()
    _in_the_terminal(tmp_path / "terminal", terminal_voice)
    _in_the_window(qtbot, private_data_dir, window_voice)

    terminal_turns, terminal_calls = _stored(tmp_path / "terminal")
    window_turns, window_calls = _stored(private_data_dir)
    assert len(terminal_turns) == len(SCRIPT)
    assert terminal_turns[0][5:7] == (CORRECTED, UNSURE.replace("~", ""))  # confirmed first
    assert window_turns == terminal_turns
    assert window_calls == terminal_calls == [("Dana", "ended_early", 3, terminal_calls[0][3])]
    assert window_voice.lines == terminal_voice.lines
