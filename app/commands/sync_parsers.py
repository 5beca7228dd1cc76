"""The command line of bundles and the central store (parsing only: nothing heavy imported)."""

from __future__ import annotations

import argparse
from typing import Any

SYNC_COMMANDS = ("export", "import", "trainees", "sync", "central", "bench-central")
CENTRAL_HELP = (
    "the central store's address, e.g. postgresql://ana@db.example/skeptic?sslmode=verify-full "
    "(never with a password: keep it in a pgpass file or the keyring)"
)


def add_sync_commands(
    commands: argparse._SubParsersAction[Any],
    common: argparse.ArgumentParser,
) -> None:
    export = commands.add_parser(
        "export", parents=[common], help="write history to a bundle for another workstation"
    )
    export.add_argument("--out", required=True, metavar="FILE")
    export.add_argument("--since", metavar="DATE", help="only calls from this date (YYYY-MM-DD) on")
    export.add_argument("--trainee", metavar="NAME", help="only this trainee's calls")
    export.add_argument(
        "--with-recordings",
        action="store_true",
        help="add recorded replies of trainees who agreed to recording",
    )

    imported = commands.add_parser(
        "import", parents=[common], help="merge a bundle (importing twice changes nothing)"
    )
    imported.add_argument("file", metavar="FILE")

    trainees = commands.add_parser(
        "trainees", parents=[common], help="trainees with the same name from other workstations"
    )
    actions = trainees.add_subparsers(dest="trainees_command", metavar="ACTION")
    actions.add_parser("clashes", parents=[common], help="list same-name trainees (the default)")
    merge = actions.add_parser(
        "merge", parents=[common], help="merge one trainee into another, on every copy"
    )
    merge.add_argument("source", metavar="NAME", help="the trainee whose calls move")
    merge.add_argument("--into", required=True, metavar="NAME", help="the trainee kept")
    merge.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    sync = commands.add_parser(
        "sync", parents=[common], help="send history to the central store, fetch its scenarios"
    )
    sync.add_argument("--central", metavar="URL", help=CENTRAL_HELP + "; remembered")
    sync.add_argument("--batch-size", type=int, default=1000, help=argparse.SUPPRESS)

    central = commands.add_parser(
        "central", parents=[common], help="set up the central store, keep its password"
    )
    central_actions = central.add_subparsers(dest="central_command", metavar="ACTION")
    for name, text in (
        ("setup", "create or upgrade the central store's tables and roles (its owner's login)"),
        ("password", "keep the central store's password in the system keyring"),
        ("status", "when this workstation last synced, and what waits to be sent"),
    ):
        action = central_actions.add_parser(name, parents=[common], help=text)
        action.add_argument("--central", metavar="URL", help=CENTRAL_HELP)
    add_bench_central_command(commands, common)


def add_bench_central_command(
    commands: argparse._SubParsersAction[Any],
    common: argparse.ArgumentParser,
) -> None:
    bench = commands.add_parser(
        "bench-central",
        parents=[common],
        help="fill an empty central store with an organisation's history and time it",
    )
    bench.add_argument("--central", required=True, metavar="URL", help=CENTRAL_HELP)
    bench.add_argument("--workstations", type=int, default=200, metavar="N")
    bench.add_argument("--calls", type=int, default=100, metavar="N", help="per workstation")
    bench.add_argument("--turns", type=int, default=10, metavar="N", help="per call")
    bench.add_argument("--json", action="store_true", help="print JSON")


def add_history_central_commands(
    actions: argparse._SubParsersAction[Any],
    common: argparse.ArgumentParser,
) -> None:
    org = actions.add_parser(
        "org", parents=[common], help="the organisation's progress by branch or team (central)"
    )
    org.add_argument("--central", metavar="URL", help=CENTRAL_HELP)
    org.add_argument("--by", choices=["branch", "team"], default="branch")
    org.add_argument(
        "--mine", action="store_true", help="the trainees this manager looks after, one by one"
    )
    org.add_argument("--json", action="store_true", help="print JSON")
    org.set_defaults(sync_command="history-org")
