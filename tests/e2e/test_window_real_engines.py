"""The window with every real engine: the customer's voice through pyttsx3 and the virtual
speaker, replies spoken into the PulseAudio virtual microphone, Whisper, the scorer, SQLite."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.bench.barge_in import SpeakerEcho
from app.core.wer import word_error_rate
from app.gui.call_controller import CallController
from app.gui.main_window import MainWindowView
from app.gui.run import build_window, real_backends
from app.paths import database_path
from app.storage import SessionStore

REPLIES = (
    # An answer to this customer (a bill that went up), not a formula for another concern.
    "I can hear how worrying this is and you are right to ask. I will go through your bill line "
    "by line and remove any charge you never agreed.",
    "We will never ask for your password. You can call us on the number printed on your card.",
)
WAIT_MS = 40_000


@pytest.fixture
def real_window(
    qtbot: QtBot, virtual_audio: None, private_data_dir: Path
) -> Iterator[tuple[MainWindowView, CallController]]:
    view, controller = build_window(private_data_dir, real_backends(), seed=3)
    view.trainee.setText("Dana")  # never pre-filled from the login name
    qtbot.addWidget(view)
    view.show()
    yield view, controller
    controller.shutdown()


def _speak_into_microphone(text: str, folder: Path) -> None:
    """A trainee answering: espeak-ng's voice played into the virtual microphone."""
    wav = folder / "reply.wav"
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav), text], check=True, timeout=30
    )
    subprocess.run(["paplay", "--device=vmic_sink", str(wav)], check=True, timeout=60)


def test_a_spoken_call_through_the_virtual_microphone(
    qtbot: QtBot,
    real_window: tuple[MainWindowView, CallController],
    private_data_dir: Path,
    tmp_path: Path,
) -> None:
    view, controller = real_window
    qtbot.waitUntil(lambda: "whisper" in view.recogniser_status.text(), timeout=WAIT_MS)
    levels: list[int] = []
    view.mic_level.valueChanged.connect(levels.append)

    with SessionStore.open(database_path(private_data_dir)) as store:
        store.set_recording_consent("Dana", True)  # Dana agreed to keep her spoken replies
    view.trainee.setText("Dana")
    view.start_button.click()
    qtbot.waitUntil(lambda: controller.state == "speaking", timeout=WAIT_MS)
    qtbot.keyClick(view, Qt.Key.Key_Escape)  # a trainee who has heard enough interrupts
    session = controller.session
    assert session is not None

    for number, reply in enumerate(REPLIES, start=1):
        qtbot.waitUntil(lambda: controller.state == "listening", timeout=WAIT_MS)
        _speak_into_microphone(reply, tmp_path)
        qtbot.waitUntil(
            lambda: len(session.turns) == number or controller.state == "confirming",  # noqa: B023
            timeout=WAIT_MS,
        )
        if controller.state == "confirming":  # unsure words: the trainee accepts them as heard
            qtbot.keyClick(view.reply, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(session.turns) == number, timeout=WAIT_MS)  # noqa: B023
        heard = session.turns[-1].transcript
        assert heard.engine == "whisper"
        assert word_error_rate(reply, heard.text) <= 0.2, heard.text
        if number < len(REPLIES):
            # The customer's answer starts (and is timed) before the trainee interrupts it.
            qtbot.waitUntil(
                lambda: "customer answered" in view.statusBar().currentMessage(), timeout=WAIT_MS
            )
            if controller.state == "speaking":
                qtbot.keyClick(view, Qt.Key.Key_Escape)

    view.end_button.click()
    qtbot.waitUntil(lambda: controller.state == "finished", timeout=WAIT_MS)
    assert max(levels) > 30  # the meter moved while the trainee spoke

    with SessionStore.open(database_path(private_data_dir)) as store:
        (saved,) = store.sessions()
        turns = store.turns(saved.id)
        recordings = [kept.recording for kept in store.call_turns(saved.id)]
    assert saved.trainee == "Dana" and saved.ending == "ended_early"
    assert [t.recogniser for t in turns] == ["whisper", "whisper"]
    assert all(t.audio_seconds > 2 and t.transcribe_seconds > 0 for t in turns)
    assert turns[0].empathy > 50
    # The customer's answer to the first reply was timed from the trainee's last word.
    assert turns[0].response_gap_ms is not None and 0 < turns[0].response_gap_ms < 5000
    for recording in recordings:
        assert recording is not None
        audio, rate = soundfile.read(recording)
        assert rate == 16000 and len(audio) > rate and abs(audio).max() > 0.05


INTERRUPTING = "Sorry to stop you there. I can see the payment and I will block the card now."
FIRST_HALF = "I understand why you are worried, because"
SECOND_HALF = "nobody told you about this payment before it was taken."


def _say_to_file(text: str, path: Path) -> tuple[np.ndarray, int]:
    subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(path), text], check=True, timeout=30
    )
    audio, rate = soundfile.read(path, dtype="float32")
    voiced = np.flatnonzero(np.abs(audio) > 0.01)
    return audio[voiced[0] : voiced[-1] + 1], int(rate)


def test_a_call_that_feels_like_a_phone_call(
    qtbot: QtBot,
    real_window: tuple[MainWindowView, CallController],
    tmp_path: Path,
) -> None:
    """The trainee talks over the customer, who stops; the customer's own voice, looped from
    the speaker into the microphone at -10 dB, stops nothing; a 1.2 s pause in the middle of a
    sentence does not end the reply."""
    view, controller = real_window
    qtbot.waitUntil(lambda: "whisper" in view.recogniser_status.text(), timeout=WAIT_MS)
    speaker = controller.backends.speaker
    interrupting = tmp_path / "interrupting.wav"
    _say_to_file(INTERRUPTING, interrupting)
    first, rate = _say_to_file(FIRST_HALF, tmp_path / "first.wav")
    second, _rate = _say_to_file(SECOND_HALF, tmp_path / "second.wav")
    paused = tmp_path / "paused.wav"
    soundfile.write(paused, np.concatenate([first, np.zeros(int(1.2 * rate)), second]), rate)

    with SpeakerEcho(-10.0):
        view.trainee.setText("Sam")
        view.start_button.click()
        qtbot.waitUntil(lambda: speaker.last_first_audio_time is not None, timeout=WAIT_MS)
        assert controller.state == "speaking"
        talking = subprocess.Popen(["paplay", "--device=vmic_sink", str(interrupting)])
        # The opening line lasts several seconds: only barge-in ends it this soon.
        qtbot.waitUntil(lambda: controller.state != "speaking", timeout=2500)
        session = controller.session
        assert session is not None
        qtbot.waitUntil(
            lambda: len(session.turns) == 1 or controller.state == "confirming", timeout=WAIT_MS
        )
        talking.wait(30)
        if controller.state == "confirming":
            qtbot.keyClick(view.reply, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(session.turns) == 1, timeout=WAIT_MS)
        # The words said while the customer was being stopped may be lost; the rest is heard.
        interruption = session.turns[0].transcript.text.lower()
        assert "i can see" in interruption and "i will" in interruption, interruption

        # The customer answers with their voice in the microphone; it does not cut them off.
        qtbot.waitUntil(lambda: controller.state == "listening", timeout=WAIT_MS)
        subprocess.run(["paplay", "--device=vmic_sink", str(paused)], check=True, timeout=60)
        qtbot.waitUntil(
            lambda: len(session.turns) == 2 or controller.state == "confirming", timeout=WAIT_MS
        )
        if controller.state == "confirming":
            qtbot.keyClick(view.reply, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(session.turns) == 2, timeout=WAIT_MS)
    heard = session.turns[1].transcript.text
    assert word_error_rate(f"{FIRST_HALF} {SECOND_HALF}", heard) <= 0.25, heard
    view.end_button.click()
    qtbot.waitUntil(lambda: controller.state == "finished", timeout=WAIT_MS)


def test_the_microphone_test_answers_soon_after_the_phrase_ends(
    qtbot: QtBot, real_window: tuple[MainWindowView, CallController], tmp_path: Path
) -> None:
    view, controller = real_window
    qtbot.waitUntil(lambda: "whisper" in view.recogniser_status.text(), timeout=WAIT_MS)
    phrase = tmp_path / "phrase.wav"
    _say_to_file("Testing my microphone, one two three.", phrase)
    answer: list[tuple[str, float]] = []
    listening = threading.Event()  # the level meter's first reading: recording has begun

    def test_microphone() -> None:
        words = controller.preferences._hear_once(None, lambda _level: listening.set())
        answer.append((words, time.perf_counter()))

    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(test_microphone)
        qtbot.waitUntil(listening.is_set, timeout=WAIT_MS)
        subprocess.run(["paplay", "--device=vmic_sink", str(phrase)], check=True, timeout=60)
        ended = time.perf_counter()
        qtbot.waitUntil(lambda: bool(answer), timeout=WAIT_MS)
    words, answered = answer[0]
    assert word_error_rate("testing my microphone one two three", words) <= 0.34, words
    # The figure for docs/performance.md; the bound only catches the old 10 s wait.
    print(f"microphone test answered {answered - ended:.2f} s after the phrase ended")
    assert answered - ended < 8
