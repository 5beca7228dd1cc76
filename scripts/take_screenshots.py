"""Takes the README's screenshots: the real app, on the real engines (espeak-ng speaking into a
virtual speaker, Whisper loaded), driven as a user would, in both themes.

Run it through scripts/take-screenshots, which starts the virtual screen and audio devices.
Writes docs/screenshots/<screen>-<theme>.png.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from app.gui.run import build_window, real_backends  # noqa: E402
from app.settings import Settings  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SCENARIO = "unrecognised-charge"
ANSWERING = ("waiting_to_talk", "typing", "finished")
REPLIES = (
    "OK. What do you want?",
    "I can hear how worrying that is, and you were right to ring the number on your card. "
    "I'll block the card now so nothing else can go out.",
    "I will never ask for your PIN or your full card number, and we will never ask you to move "
    "money. If you'd rather, hang up and ring the number on the back of your card.",
)


def wait_until(
    condition: Callable[[], bool], seconds: float = 60.0, why: Callable[[], str] = str
) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the window did not get there in time: {why()}")
        QApplication.processEvents()
        time.sleep(0.02)


def settle(seconds: float = 0.5) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)


def save(widget: QWidget, name: str) -> None:
    settle()
    path = OUT / name
    widget.grab().save(str(path))
    print(f"{path.relative_to(ROOT)}  {widget.width()}x{widget.height()}")


def take(theme: str, high_contrast: bool, data: Path) -> None:
    # Push-to-talk: the replies are typed, and an open hands-free microphone hearing only
    # silence would keep the window busy between them.
    settings = Settings(
        high_contrast=high_contrast,
        first_run_done=True,
        last_scenario=SCENARIO,
        mode="push-to-talk",
    )
    view, controller = build_window(data, real_backends(), settings)
    view.show()
    wait_until(lambda: "ready" in view.recogniser_status.text().lower())

    first_run = controller.open_settings(first_run=True)
    assert first_run is not None
    save(first_run, f"first-run-{theme}.png")
    first_run.trainee.setText("Dana Whitfield")
    first_run.accept()

    settings_dialog = controller.open_settings()
    assert settings_dialog is not None
    settings_dialog.team.setText("Card services")
    settings_dialog.branch.setText("Leeds")
    save(settings_dialog, f"settings-{theme}.png")
    settings_dialog.accept()

    view.start_button.click()
    session = controller.session
    assert session is not None
    for number, reply in enumerate(REPLIES, 1):
        wait_until(lambda: controller.state in ANSWERING)
        if controller.state == "finished":
            break
        replies_before = len(session.turns)
        view.reply.setText(reply)
        view.reply.returnPressed.emit()
        wait_until(
            lambda: len(session.turns) > replies_before,  # noqa: B023
            why=lambda: f"{controller.state}: {view.conversation.toPlainText()[-300:]}",
        )
        if number == 1:  # the curt first answer is taken back and answered again
            wait_until(lambda: controller.state in ANSWERING)
            controller.retry_answer()
    wait_until(lambda: controller.state in ANSWERING)
    save(view, f"call-{theme}.png")

    view.set_presenting(True)
    save(view, f"presentation-{theme}.png")
    view.set_presenting(False)
    settle()

    controller.end_call()
    wait_until(lambda: controller.debrief is not None and controller.debrief.isVisible())
    assert controller.debrief is not None
    save(controller.debrief, f"debrief-{theme}.png")

    history = controller.open_history()
    assert history is not None
    history.calls.selectRow(0)
    save(history, f"history-{theme}.png")
    history.tabs.setCurrentIndex(1)
    save(history, f"progress-{theme}.png")
    history.close()
    controller.debrief.close()
    controller.shutdown()
    view.close()


def main() -> int:
    app = QApplication(sys.argv)
    app.setApplicationName("Skeptic")
    OUT.mkdir(parents=True, exist_ok=True)
    for theme, high_contrast in (("normal", False), ("high-contrast", True)):
        with tempfile.TemporaryDirectory() as folder:
            take(theme, high_contrast, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
