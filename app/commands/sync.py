"""`skeptic export | import | trainees | sync | central`, and `skeptic history org`."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from dataclasses import asdict
from pathlib import Path

from app.errors import UserError
from app.paths import data_dir, database_path
from app.storage import SessionStore

EXIT_DECLINED = 1


def run_sync_command(args: argparse.Namespace) -> int:
    command = getattr(args, "sync_command", None) or args.command
    if command == "history-org":
        return _organisation(args)
    if command == "central" and getattr(args, "central_command", None) in ("setup", "password"):
        return _central_admin(args)
    if command == "bench-central":
        return _bench_central(args)
    with SessionStore.open(database_path(data_dir(getattr(args, "data_dir", None)))) as store:
        if command == "export":
            return _export(store, args)
        if command == "import":
            return _import(store, args)
        if command == "trainees":
            return _trainees(store, args)
        if command == "central":
            return _status(store)
        return _sync(store, args)


def _export(store: SessionStore, args: argparse.Namespace) -> int:
    from app.sync.bundle import export_bundle, parse_since

    since = parse_since(args.since) if args.since else None
    summary = export_bundle(
        store.db,
        Path(args.out),
        since=since,
        trainee=args.trainee,
        with_recordings=args.with_recordings,
    )
    counts = summary.counts
    print(
        f"Wrote {args.out}: {counts['trainee']} trainees, {counts['call']} calls, "
        f"{counts['turn']} turns, {counts['tombstone']} deletions, "
        f"{summary.recordings} recordings"
    )
    return 0


def _import(store: SessionStore, args: argparse.Namespace) -> int:
    from app.sync.bundle import import_bundle

    _, report = import_bundle(store.db, Path(args.file))
    added = report.added
    if not added and not report.replaced and not report.trainees_removed:
        print(f"{args.file}: nothing new (already imported)")
    else:
        print(
            f"Imported {args.file}: {added.get('trainee', 0)} trainees, "
            f"{added.get('call', 0)} calls, {added.get('turn', 0)} turns added; "
            f"{sum(report.replaced.values())} records updated; "
            f"{report.trainees_removed} trainees removed; {report.recordings} recordings"
        )
    for name in report.clashes:
        print(
            f"Kept apart: {name} has the same name as a trainee here; "
            "`skeptic trainees merge` joins them if they are one person"
        )
    return 0


def _trainees(store: SessionStore, args: argparse.Namespace) -> int:
    from app.sync.trainee_merge import merge_trainees, name_clashes

    if getattr(args, "trainees_command", None) == "merge":
        if not args.yes:
            answer = input(f"Merge {args.source} into {args.into} on every copy? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                print("Nothing merged.")
                return EXIT_DECLINED
        moved = merge_trainees(store.db, args.source, args.into)
        print(f"Merged {args.source} into {args.into}: {moved} calls moved")
        return 0
    clashes = name_clashes(store.db)
    if not clashes:
        print("No trainees share a name.")
        return 0
    for clash in clashes:
        branch = f", {clash.branch}" if clash.branch else ""
        print(f"{clash.name}: also called {clash.shared_name!r} here ({clash.calls} calls{branch})")
    print("Join two that are one person with: skeptic trainees merge NAME --into NAME")
    return 0


def _address(store: SessionStore | None, given: str | None) -> str:
    if given:
        return given
    if store is not None:
        from app.sync.central.push import CENTRAL_ADDRESS
        from app.sync.workstation import state

        saved = state(store.db, CENTRAL_ADDRESS)
        if saved:
            return saved
    raise UserError("no central store given: add --central URL (it is remembered after a sync)")


def _sync(store: SessionStore, args: argparse.Namespace) -> int:
    from app.sync.central.connection import shown_address
    from app.sync.central.push import sync

    address = _address(store, args.central)
    if args.batch_size < 1:
        raise UserError("--batch-size must be at least 1")
    report = sync(store.db, address, batch_size=args.batch_size)
    sent = report.sent
    print(
        f"Synced with {shown_address(address)}: sent {sent.get('trainee', 0)} trainees, "
        f"{sent.get('call', 0)} calls, {sent.get('turn', 0)} turns, "
        f"{sent.get('tombstone', 0)} deletions in {report.batches} batches; "
        f"{report.merged.trainees_removed} trainees removed here; "
        f"{len(report.scenarios)} scenarios updated"
    )
    return 0


def _status(store: SessionStore) -> int:
    from app.sync.central.connection import shown_address
    from app.sync.central.push import CENTRAL_ADDRESS, LAST_SYNC
    from app.sync.workstation import state, workstation_id

    address = state(store.db, CENTRAL_ADDRESS)
    waiting = store.db.execute("SELECT count(*) FROM outbox").fetchone()[0]
    print(f"Workstation {workstation_id(store.db)}")
    print(f"Central store: {shown_address(address) if address else 'none yet'}")
    print(f"Last synced: {state(store.db, LAST_SYNC) or 'never'}; {waiting} changes waiting")
    return 0


def _central_admin(args: argparse.Namespace) -> int:
    address = _address(None, args.central)
    if args.central_command == "setup":
        from app.sync.central.setup import set_up

        before, after = set_up(address)
        print(
            f"The central store is up to date (version {after})"
            if before == after
            else f"Set up the central store: version {before} -> {after}"
        )
        return 0
    from app.sync.central.connection import shown_address, store_password

    prompt = f"Password for {shown_address(address)}: "
    # From a terminal without echo; piped in (scripts, set-up tools) as one line.
    password = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if not password:
        raise UserError("no password given; nothing stored")
    store_password(address, password)
    print(f"Password for {shown_address(address)} kept in the system keyring")
    return 0


def _organisation(args: argparse.Namespace) -> int:
    from app.sync.central.progress import organisation_progress

    address = args.central
    if not address:
        with SessionStore.open(database_path(data_dir(getattr(args, "data_dir", None)))) as store:
            address = _address(store, None)
    if args.mine:
        return _looked_after(address, args.json)
    groups = organisation_progress(address, args.by)
    if args.json:
        json.dump([asdict(group) for group in groups], sys.stdout, indent=2)
        print()
        return 0
    if not groups:
        print("No calls in the central store yet.")
        return 0
    title = args.by.capitalize()
    print(f"{title:<24} {'Trainees':>8} {'Calls':>6} {'Emp':>5} {'Comp':>5} {'Resolved':>8}  Last")
    for group in groups:
        print(
            f"{(group.group or '(none)')[:24]:<24} {group.trainees:>8} {group.calls:>6} "
            f"{_figure(group.empathy):>5} {_figure(group.composure):>5} "
            f"{_figure(group.resolved_percent) + '%':>8}  {(group.last_call or '')[:10]}"
        )
    return 0


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _bench_central(args: argparse.Namespace) -> int:
    from app.sync.central.bench import run_central_bench

    for name in ("workstations", "calls", "turns"):
        if not 1 <= getattr(args, name) <= 100_000:
            raise UserError(f"--{name} must be between 1 and 100000")
    result = run_central_bench(
        args.central,
        workstations=args.workstations,
        calls=args.calls,
        turns=args.turns,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    if args.json:
        json.dump(asdict(result), sys.stdout, indent=2)
        print()
        return 0
    print(
        f"{result.workstations} workstations, {result.calls} calls, {result.turns} turns sent in "
        f"{result.seconds:.1f} s: {result.turns_per_second:,.0f} turns/s "
        f"(one workstation's real sync: {result.one_workstation_seconds:.2f} s)"
    )
    for name, milliseconds in result.query_ms.items():
        print(f"{name}: {milliseconds:.1f} ms (median)")
    return 0


def _looked_after(address: str, as_json: bool) -> int:
    from app.sync.central.progress import my_trainees

    trainees = my_trainees(address)
    if as_json:
        json.dump([asdict(trainee) for trainee in trainees], sys.stdout, indent=2)
        print()
        return 0
    if not trainees:
        print("No trainees are assigned to this login (skeptic.manager_scope).")
        return 0
    print(f"{'Trainee':<24} {'Team':<12} {'Branch':<12} {'Calls':>5} {'Emp':>5} {'Comp':>5}  Last")
    for trainee in trainees:
        print(
            f"{trainee.name[:24]:<24} {(trainee.team or '')[:12]:<12} "
            f"{(trainee.branch or '')[:12]:<12} {trainee.calls:>5} {_figure(trainee.empathy):>5} "
            f"{_figure(trainee.composure):>5}  {(trainee.last_call or '')[:10]}"
        )
    return 0
