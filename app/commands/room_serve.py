"""`skeptic room serve`: a training room without the window, for tests, demos and rooms with
no screen to spare.

Stdout carries exactly one JSON line once the observers' page is up:
{"url", "pin", "room_id", "name", "host", "port"}; everything else goes to stderr. Lines read
from --script FILE (or stdin) are the replies of the trainee in the seat, or these commands:

    /observers N   wait until N observers have joined (at most --wait seconds)
    /ratings       wait until every observer has rated the reply on the projector
    /reveal        show the tally (refused until everyone has rated); /reveal! shows it anyway
    /override E C REASON   the facilitator's empathy and composure (0-4) for the last reply
    /next          end this trainee's seat now
    /close         close the room (so does the end of the input)

After the last seat the room stays open for the last ratings, the reveal and changes until
/close.

Every seat is a call of its own, run by the same SessionMachine and CallExecutor as the
window's; each trainee's calls go into their own history.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from app.calls.executor import CallExecutor
from app.commands.terminal_presenter import END_COMMAND, TerminalPresenter
from app.core.call_events import AnswerMode, EndRequested
from app.core.ports import Speaker
from app.errors import UserError
from app.paths import data_dir, database_path
from app.room.hot_seat import HotSeat, SeatPresenter
from app.room.observers import ObserverRoom, RoomRefusal
from app.room.qr import qr_text
from app.room.roster import read_roster
from app.room.server import RoomServer
from app.scenario_library import scenario_by_id
from app.storage import SessionStore
from app.storage.call_record import CallRecord
from app.storage.completed_turns import voice_baseline
from app.storage.rooms import RoomRecords

CLOSE = "/close"


class Script:
    """The facilitator's lines, from a file or stdin; commands are carried out here, replies
    handed to the call."""

    def __init__(self, lines: Iterator[str], hot_seat: HotSeat, wait_seconds: float) -> None:
        self.lines = lines
        self.hot_seat = hot_seat
        self.wait_seconds = wait_seconds
        self.closed = False

    def read(self, prompt: str) -> str:
        """The next reply, END_COMMAND for /next, EOFError once the room closes."""
        while not self.closed:
            try:
                line = next(self.lines).strip()
            except StopIteration:
                line = CLOSE
            if not line.startswith("/") or line == END_COMMAND:
                return line
            if line == "/next":
                return END_COMMAND
            self.command(line)
        raise EOFError

    def until_closed(self) -> None:
        """After the last seat: rating, revealing and changing scores go on until /close."""
        with contextlib.suppress(EOFError):
            while True:
                if self.read("") not in ("", END_COMMAND):
                    _say("every trainee has had their seat: /close ends the room")

    def command(self, line: str) -> None:
        name, _, rest = line.partition(" ")
        room = self.hot_seat.observers
        try:
            if name == CLOSE:
                self.closed = True
            elif name == "/observers":
                count = _count(rest)
                if not room.wait_for_observers(count, self.wait_seconds):
                    _say(f"only {room.observer_count} of {count} observers joined in time")
            elif name == "/ratings":
                if not room.wait_for_ratings(self.wait_seconds):
                    _say(f"{room.rated_count} of {room.observer_count} rated in time")
            elif name in ("/reveal", "/reveal!"):
                tally = self.hot_seat.reveal(before_everyone=name == "/reveal!")
                shown = (tally.empathy, tally.composure)
                _say(
                    f"tally of {tally.ratings}: empathy people {_level(shown[0].median)} "
                    f"machine {shown[0].machine_level}; composure people "
                    f"{_level(shown[1].median)} machine {shown[1].machine_level}"
                )
            elif name == "/override":
                empathy, composure, reason = _override(rest)
                self.hot_seat.override(empathy, composure, reason)
                _say(f"changed: empathy {empathy}, composure {composure} ({reason})")
            else:
                _say(f"unknown command {name}")
        except (RoomRefusal, LookupError, ValueError) as refusal:
            _say(str(refusal))


def _count(text: str) -> int:
    if not text.strip().isdigit() or not 0 < int(text) <= 100:
        raise ValueError("/observers takes a number from 1 to 100")
    return int(text)


def _override(text: str) -> tuple[int, int, str]:
    parts = text.split(maxsplit=2)
    if len(parts) < 3 or not parts[0].isdigit() or not parts[1].isdigit():
        raise ValueError("/override EMPATHY COMPOSURE REASON, e.g. /override 3 4 Named the fear")
    return int(parts[0]), int(parts[1]), parts[2]


def _say(text: str) -> None:
    print(f"(room) {text}", file=sys.stderr, flush=True)


def _lines(script: str | None) -> Iterator[str]:
    if script is None:
        yield from sys.stdin
        return
    path = Path(script)
    if not path.is_file():
        raise UserError(f"{path}: no such file")
    yield from path.read_text(encoding="utf-8").splitlines()


def _speaker(speak: bool) -> tuple[Speaker, Callable[[], None]]:
    from app.audio.speaker import CaptionsOnly

    if not speak:
        return CaptionsOnly(), lambda: None
    from app.audio.playback import Playback
    from app.audio.speaker import CustomerVoice
    from app.audio.speech_process import SpeechProcess

    speech = SpeechProcess()
    speech.start()
    return CustomerVoice(speech, Playback()), speech.close


def run_room_serve(args: argparse.Namespace) -> int:
    folder = data_dir(getattr(args, "data_dir", None))
    members = read_roster(Path(args.roster))
    scenarios = [scenario_by_id(folder, scenario_id) for scenario_id in args.scenario]
    if args.replies_per_seat is not None and args.replies_per_seat < 1:
        raise UserError("--replies-per-seat must be 1 or more (leave it out for a whole call)")
    observers = ObserverRoom(args.name.strip() or "Training room")
    server = RoomServer(observers, args.host, args.port)
    with SessionStore.open(database_path(folder)) as store:
        hot_seat = HotSeat.open(
            observers,
            members,
            scenarios,
            args.replies_per_seat,
            RoomRecords(store.db),
            _say,
        )
        url = server.start()
        try:
            print(_announcement(args, hot_seat, server, url), flush=True)
            if not args.json:
                print(qr_text(url), file=sys.stderr, flush=True)
            script = Script(_lines(args.script), hot_seat, args.wait)
            speaker, close_speaker = _speaker(args.speak)
            try:
                with contextlib.redirect_stdout(sys.stderr):  # stdout: the one JSON line
                    _hold_seats(hot_seat, script, store, speaker, args.seed)
                    script.until_closed()
            finally:
                close_speaker()
        finally:
            hot_seat.close()
            server.stop()
    _say(f"closed after {len(hot_seat.replies)} replies")
    return 0


def _announcement(args: argparse.Namespace, hot_seat: HotSeat, server: RoomServer, url: str) -> str:
    facts = {
        "url": url,
        "pin": hot_seat.observers.pin,
        "room_id": hot_seat.room_id,
        "name": hot_seat.observers.name,
        "host": server.host,
        "port": server.port,
    }
    if args.json:
        return json.dumps(facts)
    return f"Room {facts['name']!r} open at {url}  PIN {facts['pin']}"


def _hold_seats(
    hot_seat: HotSeat, script: Script, store: SessionStore, speaker: Speaker, seed: int | None
) -> None:
    """One call per seat until the seats or the script run out."""
    while hot_seat.next_seat is not None and not script.closed:
        record = CallRecord(store, _say)
        upcoming = hot_seat.next_seat
        seat, machine = hot_seat.call_next(
            AnswerMode.TYPED, seed, voice_baseline(store, upcoming.trainee)
        )
        _say(f"seat {seat.number}: {seat.trainee}, please take the seat ({seat.scenario.title})")
        inner = TerminalPresenter(seat.scenario, read=script.read)
        presenter = SeatPresenter(inner, hot_seat, _session_of(record))
        executor = CallExecutor(machine, record, speaker, None, presenter)
        inner.post = presenter.post = executor.post
        try:
            executor.start(seat.trainee)
        finally:
            executor.stop()
        if machine.active:
            executor.post(EndRequested())
        record.finish(machine.session.summary())  # a refusal is said by the record


def _session_of(record: CallRecord) -> Callable[[], int | None]:
    return lambda: record.session_id


def _level(median: float | None) -> str:
    return "-" if median is None else f"{median:g}"
