"""The projector's view of a training room: who is in the seat, the customer's line and the
reply in large type, how to join (QR code and PIN), and the tally once it is revealed.

Type is sized from the window's height, so the same view reads from the back of the room at
1920x1080 and at 1024x768; colours come from the application's palette, so it follows the
theme in use. The machine's scores appear only with the tally.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.room.observers import ProjectorState
from app.room.qr import qr_svg
from app.room.tally import ScaleTally, Tally
from app.room.techniques import technique_labels

# Line heights per window height: the body text is 1/24 of the height (45 px at 1080, 32 px at
# 768), well above the 1/40 that rooms of 10 m need.
BODY_SHARE = 1 / 24
TITLE_SCALE = 1.5
SMALL_SCALE = 0.75


def _label(name: str, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if not wrap:
        # A line that does not wrap must not hold the window wider than the projector.
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        label.setMinimumWidth(1)
    return label


class ProjectorView(QWidget):
    """Layout only; `show_state()` fills it."""

    def __init__(self, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Skeptic room: projector")
        self.url = url
        self.room_name = _label("room_name", wrap=False)
        self.join_text = _label("join_text", wrap=False)
        self.pin = _label("pin", wrap=False)
        self.qr = QSvgWidget()
        self.qr.load(QByteArray(qr_svg(url)))
        self.seat = _label("seat")
        self.customer_title = _label("customer_title")
        self.caption = _label("caption")
        self.reply_title = _label("reply_title")
        self.transcript = _label("transcript")
        self.status = _label("status")
        self.tally = _label("tally")
        self.tally.setTextFormat(Qt.TextFormat.RichText)

        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(self.room_name)
        heading.addWidget(self.seat)
        heading.addStretch(1)
        heading.addWidget(self.pin)
        heading.addWidget(self.join_text)
        top.addLayout(heading, 1)
        top.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)

        stage = QFrame()
        stage.setFrameShape(QFrame.Shape.StyledPanel)
        words = QVBoxLayout(stage)
        for widget in (self.customer_title, self.caption, self.reply_title, self.transcript):
            words.addWidget(widget)
        words.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(stage, 1)
        layout.addWidget(self.tally)
        layout.addWidget(self.status)
        self.join_text.setText(f"Observers: scan the code or open {url}")
        self.resize(1024, 768)
        self._size_type()

    def show_state(self, state: ProjectorState) -> None:
        self.room_name.setText(state.name)
        self.pin.setText(f"PIN {state.pin[:3]} {state.pin[3:]}")
        self.seat.setText(f"In the seat: {state.seat}" if state.seat else "Waiting for a trainee")
        reply = state.reply
        self.customer_title.setText("The customer")
        self.caption.setText(state.caption or (reply.customer_line if reply else ""))
        if reply is None:
            self.reply_title.setText("")
            self.transcript.setText("")
        else:
            self.reply_title.setText(f"{reply.trainee}'s reply")
            self.transcript.setText(reply.transcript)
            if state.caption and state.caption != reply.customer_line:
                # The customer has moved on: the rated reply answered the line before.
                self.customer_title.setText("The customer now")
        if state.closed:
            self.status.setText("The room is closed.")
        elif reply is None:
            self.status.setText(f"{state.observers} observers joined")
        elif state.tally is None:
            self.status.setText(
                f"{state.rated} of {state.observers} observers have rated {reply.trainee}'s reply"
            )
        else:
            self.status.setText(f"Revealed: {state.tally.ratings} ratings")
        self.tally.setVisible(state.tally is not None)
        if state.tally is not None:
            self.tally.setText(tally_html(state.tally))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._size_type()

    def _size_type(self) -> None:
        body = max(14, round(self.height() * BODY_SHARE))
        sizes = {
            "room_name": (body * TITLE_SCALE, True),
            "seat": (body * 1.2, True),
            "pin": (body * 1.3, True),
            "join_text": (body * SMALL_SCALE, False),
            "customer_title": (body * SMALL_SCALE, False),
            "reply_title": (body * SMALL_SCALE, False),
            "caption": (body, False),
            "transcript": (body, True),
            "tally": (body * 0.9, False),
            "status": (body * SMALL_SCALE, False),
        }
        for name, (pixels, bold) in sizes.items():
            label = self.findChild(QLabel, name)
            if label is None:
                continue
            font = QFont(self.font())
            font.setPixelSize(round(pixels))
            font.setBold(bold)
            label.setFont(font)
        side = round(self.height() * 0.24)
        self.qr.setFixedSize(side, side)
        layout = self.layout()
        if layout is not None:
            layout.invalidate()  # the new type sizes change every label's height
            layout.activate()


def tally_html(tally: Tally) -> str:
    def scale(title: str, part: ScaleTally) -> str:
        people = "-" if part.median is None else f"{part.median:g}"
        counts = ", ".join(
            f"{count}&times;{level}" for level, count in enumerate(part.counts) if count
        )
        return (
            f"<b>{title}</b>: people {people} · machine {part.machine_level} "
            f"({part.machine_score}/100)&nbsp;&nbsp;&nbsp;<i>ratings {counts or 'none'}</i>"
        )

    labels = technique_labels()
    heard = ", ".join(f"{labels.get(name, name)} ({count})" for name, count in tally.techniques)
    lines = [scale("Empathy", tally.empathy), scale("Composure", tally.composure)]
    if heard:
        lines.append(f"Heard: {heard}")
    return "<br>".join(lines)
