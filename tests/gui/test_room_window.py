"""A training room in the real window: three trainees take the seat in turn (typed replies,
engine doubles for the voice), five observers rate in a real headless chromium, the
facilitator reveals each tally and changes one reply's scores; the projector is shot at
1920x1080 and 1024x768 in both themes."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from app.core.call_events import Phase
from app.gui.appearance import apply_appearance
from app.gui.call_controller import CallController
from app.gui.main_window import MainWindowView
from app.gui.room_controller import RoomController
from app.gui.room_projector import ProjectorView
from app.gui.run import build_window
from app.paths import database_path
from app.settings import Settings
from app.storage import SessionStore
from app.storage.rooms import RoomRecords
from tests.doubles import fake_backends
from tests.room.browser import chromium

OBSERVERS = 5
TRAINEES = ("Ana", "Ben", "Cleo")
REPLIES = (
    "I can hear how worrying that is. Let me check that charge with you right now.",
    "That's not my problem, you should have checked your statement sooner.",
    "You're right to be careful. I'll block the card now and call you back by five today.",
)
# SKEPTIC_SCREENSHOTS=docs/screenshots ./scripts/test tests/gui/test_room_window.py renews the
# README's pictures; otherwise they go to a temporary folder and are only checked.
SHOTS = Path(os.environ.get("SKEPTIC_SCREENSHOTS") or tempfile.mkdtemp(prefix="skeptic-shots-"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def window(qtbot: QtBot, private_data_dir: Path) -> Iterator[tuple[MainWindowView, CallController]]:
    backends, _speaker, _listener = fake_backends()
    view, controller = build_window(private_data_dir, backends, seed=7)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: "ready" in view.recogniser_status.text().lower())
    yield view, controller
    controller.shutdown()


def open_room(qtbot: QtBot, controller: CallController) -> RoomController:
    room = controller.open_room()
    qtbot.addWidget(room.view)
    room.view.name.setText("Thursday group")
    room.view.roster.setPlainText("Ana\n+ Ben (Benji)\n+ Cleo\n")
    room.view.replies.setValue(1)
    scenarios = room.view.scenarios
    for row in range(scenarios.count()):
        item = scenarios.item(row)
        chosen = item.data(Qt.ItemDataRole.UserRole) == "unrecognised-charge"
        item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
    room.view.interface.setCurrentIndex(room.view.interface.findData("127.0.0.1"))
    room.view.port.setValue(free_port())
    qtbot.mouseClick(room.view.open_button, Qt.MouseButton.LeftButton)
    assert room.server is not None and room.room is not None
    return room


def join(driver: WebDriver, url: str, pin: str) -> str:
    driver.switch_to.new_window("tab")
    driver.get(url)
    driver.find_element(By.ID, "pin").send_keys(pin)
    driver.find_element(By.ID, "join-button").click()
    WebDriverWait(driver, 10).until(lambda _: driver.find_element(By.ID, "room").is_displayed())
    return str(driver.current_window_handle)


def rate(driver: WebDriver, tab: str, trainee: str, empathy: int, shot: bool = False) -> None:
    driver.switch_to.window(tab)
    WebDriverWait(driver, 15).until(
        lambda _: (
            driver.find_element(By.ID, "reply-by").text == f"{trainee}'s reply"
            and driver.find_element(By.ID, "send").is_displayed()
        )
    )
    driver.find_element(By.ID, f"empathy-{empathy}").click()
    driver.find_element(By.ID, "composure-3").click()
    if shot:
        driver.find_element(By.ID, "technique-acknowledges_feeling").click()
        driver.set_window_size(390, 1500)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(str(SHOTS / "room-phone-rating.png"))
    driver.find_element(By.ID, "send").click()
    WebDriverWait(driver, 10).until(lambda _: driver.find_element(By.ID, "sent").is_displayed())


def test_a_room_of_three_trainees_and_five_observers(
    qtbot: QtBot,
    window: tuple[MainWindowView, CallController],
    private_data_dir: Path,
    tmp_path: Path,
) -> None:
    view, controller = window
    room = open_room(qtbot, controller)
    assert room.projector is not None and room.projector.isVisible()
    assert room.server is not None and room.room is not None
    url, pin = room.server.url, room.room.pin
    assert pin in room.view.where.text()

    with chromium() as driver:
        tabs = [join(driver, url, pin) for _ in range(OBSERVERS)]
        qtbot.waitUntil(lambda: room.room is not None and room.room.observer_count == OBSERVERS)
        for seat, (trainee, reply) in enumerate(zip(TRAINEES, REPLIES, strict=True)):
            assert room.view.next_label.text().startswith(f"Next in the seat: {trainee}")
            qtbot.mouseClick(room.view.call_next_button, Qt.MouseButton.LeftButton)
            assert view.trainee.text() == trainee  # called by name into the window
            # The trainee types over the listening microphone, as the window allows.
            qtbot.waitUntil(lambda: controller.state is Phase.LISTENING, timeout=5000)
            view.reply.setText(reply)
            qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: controller.state is Phase.FINISHED, timeout=5000)
            for number, tab in enumerate(tabs):
                rate(driver, tab, trainee, (seat + number) % 5, shot=seat == 0 and number == 0)
            qtbot.waitUntil(lambda: room.view.reveal_button.isEnabled(), timeout=5000)
            assert "machine" not in room.projector.tally.text() or room.projector.tally.isHidden()
            qtbot.mouseClick(room.view.reveal_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: room.projector is not None and room.projector.tally.isVisible())
            driver.switch_to.window(tabs[0])
            WebDriverWait(driver, 10).until(
                lambda _: driver.find_element(By.ID, "tally").is_displayed()
            )
            if trainee == "Ben":
                assert room.override(1, 2, "Blamed the customer for not checking")
                shoot_projector(qtbot, room)
                driver.set_window_size(390, 1400)
                driver.save_screenshot(str(SHOTS / "room-phone-tally.png"))
        room.close_room()
        WebDriverWait(driver, 10).until(
            lambda _: "closed" in driver.find_element(By.ID, "join-error").text
        )
    assert "Blamed the customer" in room.view.summary.toPlainText()
    pdf = room.save_report("pdf", tmp_path / "room.pdf")
    csv = room.save_report("csv", tmp_path / "room.csv")
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    assert csv is not None and csv.read_text(encoding="utf-8-sig").count("\n") == 4

    with SessionStore.open(database_path(private_data_dir)) as store:
        assert [len(store.sessions(t)) for t in TRAINEES] == [1, 1, 1]
        rooms = RoomRecords(store.db)
        [record] = rooms.rooms()
        assert sorted(len(r) for r in rooms.ratings(record.id).values()) == [OBSERVERS] * 3
        [ben] = store.call_turns(store.sessions("Ben")[0].id)
        assert ben.override is not None and ben.override.reason.startswith("Blamed")


def shoot_projector(qtbot: QtBot, room: RoomController) -> None:
    """The projector at both sizes in both themes, for the README; each must fit its text."""
    projector = room.projector
    assert projector is not None
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for theme, high_contrast in (("light", False), ("dark", True)):
        apply_appearance(app, Settings(high_contrast=high_contrast))
        for width, height in ((1920, 1080), (1024, 768)):
            projector.resize(width, height)
            QApplication.processEvents()
            assert (projector.width(), projector.height()) == (width, height)
            assert_readable(projector, height)
            projector.grab().save(str(SHOTS / f"room-projector-{width}x{height}-{theme}.png"))
    apply_appearance(app, Settings())


def assert_readable(projector: ProjectorView, height: int) -> None:
    """Body type at least 1/30 of the screen's height, and no label cut off."""
    for label in projector.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        assert label.font().pixelSize() >= height / 30 * 0.75, label.objectName()
        if label.wordWrap():
            assert label.heightForWidth(label.width()) <= label.height(), label.objectName()
        else:
            assert label.sizeHint().width() <= label.width(), label.objectName()
    assert projector.transcript.font().pixelSize() >= height / 30
