"""The command line: the desktop app by default, and commands for the terminal.

Every command turns bad input into one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from app import __version__

EXIT_BAD_INPUT = 2

Handler = Callable[[argparse.Namespace], int]


def _data_dir_option() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
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
    parser = argparse.ArgumentParser(
        prog="skeptic",
        description="Skeptic: practise calls with a suspicious customer, offline.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"Skeptic {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("gui", parents=[common], help="open the desktop app (the default)")

    practice = commands.add_parser(
        "practice", parents=[common], help="hold a practice call in the terminal"
    )
    practice.add_argument("--scenario", required=True, metavar="ID", help="scenario id")
    practice.add_argument("--typed", action="store_true", help="type replies instead of speaking")
    practice.add_argument("--trainee", default="", metavar="NAME", help="who is practising")
    practice.add_argument("--seed", type=int, default=None, help=argparse.SUPPRESS)

    score = commands.add_parser("score", parents=[common], help="score replies to the customer")
    score.add_argument("--customer", metavar="TEXT", help="what the customer said")
    score.add_argument("--reply", metavar="TEXT", help="the trainee's reply")
    score.add_argument("--json", action="store_true", help="print JSON")
    score.add_argument(
        "--jsonl",
        metavar="FILE",
        help='score every line {"id", "customer", "reply"} of FILE ("-" for stdin)',
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

    commands.add_parser(
        "selftest", parents=[common], help="check every part with a scripted conversation"
    )
    return parser


def _handler(command: str) -> Handler:
    # Imported on demand so that `skeptic score` does not pay for Qt or Whisper.
    if command == "gui":
        from app.commands.gui import run_gui

        return run_gui
    if command == "practice":
        from app.commands.practice import run_practice

        return run_practice
    if command == "score":
        from app.commands.score import run_score

        return run_score
    if command == "transcribe":
        from app.commands.transcribe import run_transcribe

        return run_transcribe
    if command == "scenarios":
        from app.commands.scenarios import run_scenarios

        return run_scenarios
    from app.commands.selftest import run_selftest

    return run_selftest


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a second guard: nothing is ever downloaded
    parser = build_parser()
    args = parser.parse_args(argv)
    command = args.command or "gui"
    if command == "scenarios" and not args.scenario_command:
        args.scenario_command = "list"
        args.json = False
    try:
        return _handler(command)(args)
    except KeyboardInterrupt:
        print("skeptic: stopped", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`skeptic score --jsonl F | head`): stop quietly, and keep
        # Python from complaining again when it flushes stdout on exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:
        from app.errors import is_user_error

        if not is_user_error(error):
            raise
        print(f"skeptic: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
