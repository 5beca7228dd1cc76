"""The command line: the desktop app by default, and commands for the terminal.

Every command turns bad input into one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from app.commands.sync_parsers import SYNC_COMMANDS, add_history_central_commands, add_sync_commands

EXIT_BAD_INPUT = 2
# The history list's sort keys (app.storage.calls.SORT_KEYS), kept here so that parsing the
# command line does not load the storage layer.
HISTORY_SORT_KEYS = (
    *("date", "trainee", "scenario", "difficulty", "ending"),
    *("empathy", "composure", "duration", "turns"),
)

Handler = Callable[[argparse.Namespace], int]
# Row ids are SQLite integers: anything past 2**63 - 1 cannot name a call.
LARGEST_ID = 2**63 - 1


class _VersionAction(argparse.Action):
    """`--version`: the versions and licences are looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help=str(kwargs.get("help", "")))

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        from app.about import version_report

        print(version_report())
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake on the command line is one line on stderr, not usage + error."""

    def error(self, message: str) -> NoReturn:
        from app.terminal_text import printable

        # The message quotes what was typed, which may hold control characters.
        line = printable(message).replace("\n", " ")
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {line} (see {self.prog} --help)\n")


def _whole_number(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        # Checked before int(): a 5,000-digit number is refused by its length, not by a crash.
        if len(text.strip()) > len(str(high)) + 1:
            raise argparse.ArgumentTypeError(f"{text[:20]}... is far too long to be a number")
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not between {low} and {high}")
        return value

    parse.__name__ = "whole number"
    return parse


CALL_ID = _whole_number(1, LARGEST_ID)
COUNT = _whole_number(0, 1_000_000)


def _data_dir_option() -> _Parser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="folder for the database and own scenarios (default: the user data folder; "
        "or set SKEPTIC_DATA_DIR)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _data_dir_option()
    parser = _Parser(
        prog="skeptic",
        description="Skeptic: practise calls with a suspicious customer, offline.",
        parents=[common],
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="show the version and licence of Skeptic and its parts, and exit",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("gui", parents=[common], help="open the desktop app (the default)")

    practice = commands.add_parser(
        "practice", parents=[common], help="hold a practice call in the terminal"
    )
    practice.add_argument("--scenario", required=True, metavar="ID", help="scenario id")
    practice.add_argument("--typed", action="store_true", help="type replies instead of speaking")
    practice.add_argument("--trainee", default="", metavar="NAME", help="who is practising")
    practice.add_argument(
        "--seed", type=_whole_number(0, LARGEST_ID), default=None, help=argparse.SUPPRESS
    )

    score = commands.add_parser("score", parents=[common], help="score replies to the customer")
    score.add_argument("--customer", metavar="TEXT", help="what the customer said")
    score.add_argument("--reply", metavar="TEXT", help="the trainee's reply")
    score.add_argument("--json", action="store_true", help="print JSON")
    score.add_argument(
        "--jsonl",
        metavar="FILE",
        help='score every line {"id", "customer", "reply"} of FILE ("-" for stdin)',
    )
    score.add_argument(
        "--audio",
        metavar="FILE",
        help="the spoken reply (wav, flac or mp3): adds the voice figures to composure",
    )

    calibrate = commands.add_parser(
        "calibrate", parents=[common], help="check the scores against a trainer's labels"
    )
    calibrate.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        help='labelled replies, JSONL: {"situation", "customer", ...}',
    )
    calibrate.add_argument(
        "--rooms",
        action="store_true",
        help="use the training rooms' facilitator and observer ratings as the labels",
    )
    calibrate.add_argument(
        "--labels-out",
        metavar="FILE",
        help="with --rooms: also write the people's labels as JSONL for calibrate FILE",
    )
    calibrate.add_argument("--json", action="store_true", help="print JSON")
    calibrate.add_argument(
        "--worst", type=COUNT, default=0, metavar="N", help="also list the N replies furthest off"
    )
    calibrate.add_argument(
        "--errors",
        type=float,
        default=0.1,
        metavar="SHARE",
        help="also score with this share of words misheard (default 0.1; 0 to skip)",
    )
    calibrate.add_argument(
        "--seed", type=int, default=11, help="seed of the simulated recogniser errors"
    )
    calibrate.add_argument(
        "--rules-only",
        action="store_true",
        help="score by the rules alone, without word embeddings or the learned layer",
    )
    calibrate.add_argument(
        "--compare-rules",
        action="store_true",
        help="also report the figures of the rules alone, for comparison",
    )

    transcribe = commands.add_parser(
        "transcribe", parents=[common], help="transcribe an audio file offline"
    )
    transcribe.add_argument("file", metavar="FILE", help="wav, flac or mp3")
    transcribe.add_argument("--engine", choices=["whisper", "sphinx"], default="whisper")
    transcribe.add_argument("--json", action="store_true", help="print JSON")

    scenarios = commands.add_parser("scenarios", parents=[common], help="list or check scenarios")
    scenario_commands = scenarios.add_subparsers(dest="scenario_command", metavar="ACTION")
    listing = scenario_commands.add_parser("list", parents=[common], help="list scenarios")
    listing.add_argument("--json", action="store_true", help="print JSON")
    validate = scenario_commands.add_parser(
        "validate", parents=[common], help="check scenario files"
    )
    validate.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")

    _add_history_commands(commands, common)
    add_sync_commands(commands, common)
    from app.cli_room import add_room_commands  # after this module's helpers exist

    add_room_commands(commands, common)

    commands.add_parser(
        "selftest", parents=[common], help="check every part with a scripted conversation"
    )

    bench = commands.add_parser(
        "bench", parents=[common], help="measure how quickly the customer answers a spoken reply"
    )
    bench.add_argument("--json", action="store_true", help="print JSON")
    bench.add_argument(
        "--quick", action="store_true", help="one short reply and one launch: checks it runs"
    )
    bench.add_argument(
        "--lengths",
        type=_whole_number(1, 600),
        nargs="+",
        metavar="SECONDS",
        help="lengths of the synthesised replies (default: 3 8 15 30)",
    )
    bench.add_argument(
        "--repeat", type=_whole_number(1, 100), default=1, help="play every reply this many times"
    )
    return parser


def _add_history_commands(
    commands: argparse._SubParsersAction[_Parser],
    common: _Parser,
) -> None:
    history = commands.add_parser(
        "history", parents=[common], help="past calls, progress, exports, removing a trainee"
    )
    actions = history.add_subparsers(dest="history_command", metavar="ACTION")

    listing = actions.add_parser("list", parents=[common], help="list calls, newest first")
    listing.add_argument("--trainee", metavar="NAME", help="only this trainee's calls")
    listing.add_argument("--scenario", metavar="ID", help="only calls of this scenario")
    listing.add_argument("--difficulty", choices=["easy", "standard", "hard", "expert"])
    listing.add_argument(
        "--ending",
        choices=["resolved", "walked_out", "turn_limit", "ended_early", "interrupted"],
    )
    listing.add_argument("--since", metavar="DATE", help="calls from this date (YYYY-MM-DD) on")
    listing.add_argument("--until", metavar="DATE", help="calls before this date")
    listing.add_argument(
        "--sort",
        default="date",
        choices=HISTORY_SORT_KEYS,
    )
    listing.add_argument("--ascending", action="store_true", help="smallest or oldest first")
    listing.add_argument("--limit", type=COUNT, metavar="N", help="at most N calls")
    listing.add_argument("--json", action="store_true", help="print JSON")

    show = actions.add_parser("show", parents=[common], help="one call, turn by turn")
    show.add_argument("call_id", type=CALL_ID, metavar="CALL_ID")
    show.add_argument("--json", action="store_true", help="print JSON")

    progress = actions.add_parser(
        "progress", parents=[common], help="a trainee's level, strengths and what to practise"
    )
    progress.add_argument("--trainee", required=True, metavar="NAME")
    progress.add_argument("--json", action="store_true", help="print JSON")

    trainees = actions.add_parser("trainees", parents=[common], help="list trainees")
    trainees.add_argument("--json", action="store_true", help="print JSON")

    profile = actions.add_parser(
        "profile", parents=[common], help="add a trainee or change their team, branch, recording"
    )
    profile.add_argument("name", metavar="NAME")
    profile.add_argument("--team", metavar="TEAM", help='"" to clear')
    profile.add_argument("--branch", metavar="BRANCH", help='"" to clear')
    profile.add_argument(
        "--recording", choices=["on", "off"], help="keep the trainee's spoken replies as audio"
    )

    export = actions.add_parser("export", parents=[common], help="write calls to a file")
    export.add_argument("--format", required=True, choices=["csv", "json", "pdf"])
    chosen = export.add_mutually_exclusive_group()
    chosen.add_argument("--trainee", metavar="NAME", help="one trainee's calls")
    chosen.add_argument("--call", type=CALL_ID, metavar="CALL_ID", help="one call")
    export.add_argument("--out", required=True, metavar="FILE")

    delete = actions.add_parser("delete", parents=[common], help="remove every trace of a trainee")
    delete.add_argument("--trainee", required=True, metavar="NAME")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    add_history_central_commands(actions, common)

    commands.add_parser(
        "bench-history",
        parents=[common],
        help="time the history list and a progress series on the database in the data folder",
    )
    bench_voice = commands.add_parser(
        "bench-voice",
        parents=[common],
        help="time how soon the customer starts speaking, with each voice engine",
    )
    bench_voice.add_argument("--json", action="store_true", help="print JSON")
    bench_voice.add_argument(
        "--lines", type=_whole_number(2, 200), default=12, help="lines to time (default 12)"
    )


def _handler(command: str) -> Handler:
    # Imported on demand so that `skeptic score` does not pay for Qt or Whisper.
    if command in SYNC_COMMANDS:
        from app.commands.sync import run_sync_command

        return run_sync_command
    if command == "gui":
        from app.commands.gui import run_gui

        return run_gui
    if command == "practice":
        from app.commands.practice import run_practice

        return run_practice
    if command == "score":
        from app.commands.score import run_score

        return run_score
    if command == "calibrate":
        from app.commands.calibrate import run_calibrate

        return run_calibrate
    if command == "transcribe":
        from app.commands.transcribe import run_transcribe

        return run_transcribe
    if command == "scenarios":
        from app.commands.scenarios import run_scenarios

        return run_scenarios
    if command == "history":
        from app.commands.history import run_history

        return run_history
    if command == "bench-history":
        from app.commands.bench_history import run_bench_history

        return run_bench_history
    if command == "bench-voice":
        from app.commands.bench_voice import run_bench_voice

        return run_bench_voice
    if command in ("room", "bench-room"):
        from app.cli_room import room_handler

        return room_handler(command)
    if command == "bench":
        from app.commands.bench import run_bench

        return run_bench
    from app.commands.selftest import run_selftest

    return run_selftest


def quiet_library_logs() -> None:
    """Only warnings and errors reach stderr. Set before any library loads: wordllama calls
    `logging.basicConfig(level=INFO)` on import, which would let faster-whisper's "Processing
    audio" lines through; once a handler is set, that call does nothing."""
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s:%(name)s:%(message)s")
    logging.getLogger().setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a second guard: nothing is ever downloaded
    quiet_library_logs()
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "gui"
    if command == "scenarios" and not args.scenario_command:
        args.scenario_command = "list"
        args.json = False
    if command == "history" and not args.history_command:
        args = parser.parse_args([*(sys.argv[1:] if argv is None else argv), "list"])
    from app.terminal_text import printable, safe_terminal

    try:
        if getattr(args, "sync_command", None):  # `history org` reads the central store
            command = "sync"
        with safe_terminal():
            return _handler(command)(args)
    except KeyboardInterrupt:
        print("skeptic: stopped", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`skeptic score --jsonl F | head`): stop quietly, and keep
        # Python from complaining again when it flushes stdout on exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except RecursionError:
        # Input nested thousands deep (JSON, TOML) that a reader gave up on.
        print("skeptic: the input is nested too deeply to read", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:
        from app.errors import is_user_error

        if not is_user_error(error):
            raise
        message = printable(str(error)).replace("\n", " ").strip() or type(error).__name__
        print(f"skeptic: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
