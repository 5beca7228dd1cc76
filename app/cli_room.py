"""The command line's training-room commands: `room serve|list|report` and `bench-room`.

Kept apart from app/cli.py only for size; parsing still loads nothing but argparse.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from app.cli import CALL_ID, _Parser, _whole_number


def add_room_commands(
    commands: argparse._SubParsersAction[_Parser],
    common: _Parser,
) -> None:
    room = commands.add_parser(
        "room", parents=[common], help="training rooms: run one, list them, write a report"
    )
    actions = room.add_subparsers(dest="room_command", metavar="ACTION")
    listing = actions.add_parser("list", parents=[common], help="rooms held, oldest first")
    listing.add_argument("--json", action="store_true", help="print JSON")
    serve = actions.add_parser(
        "serve",
        parents=[common],
        help="run a room without the window: prints one JSON line with the page's URL and PIN",
    )
    serve.add_argument("--roster", required=True, metavar="FILE", help="one trainee a line")
    serve.add_argument(
        "--scenario", required=True, action="append", metavar="ID", help="repeat for more"
    )
    serve.add_argument(
        "--host", required=True, metavar="HOST", help="the address of the interface to serve on"
    )
    serve.add_argument("--port", type=int, default=8765, metavar="PORT", help="0: any free port")
    serve.add_argument("--name", default="Training room", metavar="NAME")
    serve.add_argument(
        "--replies-per-seat", type=int, metavar="N", help="replies each (default: a whole call)"
    )
    serve.add_argument("--script", metavar="FILE", help="replies and commands (default: stdin)")
    serve.add_argument("--speak", action="store_true", help="say the customer's lines aloud")
    serve.add_argument(
        "--wait", type=float, default=300.0, metavar="SECONDS", help="longest /observers wait"
    )
    serve.add_argument("--seed", type=int, default=None, help=argparse.SUPPRESS)
    serve.add_argument("--json", action="store_true", help="the first line as JSON")
    report = actions.add_parser("report", parents=[common], help="write a room's report")
    report.add_argument("--room", type=CALL_ID, required=True, metavar="ROOM_ID")
    report.add_argument("--format", required=True, choices=["csv", "pdf"])
    report.add_argument("--out", required=True, metavar="FILE")

    bench_room = commands.add_parser(
        "bench-room",
        parents=[common],
        help="load-test the training room's observer server on 127.0.0.1",
    )
    bench_room.add_argument("--observers", type=_whole_number(1, 100), default=40, metavar="N")
    bench_room.add_argument("--replies", type=_whole_number(1, 500), default=50, metavar="N")
    bench_room.add_argument("--json", action="store_true", help="print JSON")


def room_handler(command: str) -> Callable[[argparse.Namespace], int]:
    """`room` or `bench-room`, imported on demand like every command."""
    if command == "room":
        from app.commands.room import run_room

        return run_room
    from app.commands.bench_room import run_bench_room

    return run_bench_room
