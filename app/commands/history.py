"""`skeptic history`: past calls, a trainee's progress, exports, and removing a trainee."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

from app.errors import UserError
from app.history.export import write_csv, write_json
from app.history.progress import progress_series
from app.history.reports import call_json, call_report, standing_json, trainee_report
from app.history.standing import trainee_standing
from app.paths import data_dir, database_path
from app.storage import CallFilter, CallRow, SessionStore, TurnRecord

EXIT_DECLINED = 1
# Commands that never write: they do not create a data folder that is not there.
READ_COMMANDS = frozenset({"list", "show", "progress", "trainees", "export"})


def run_history(args: argparse.Namespace) -> int:
    action: Callable[[SessionStore, argparse.Namespace], int] = _ACTIONS[args.history_command]
    reads_only = args.history_command in READ_COMMANDS
    folder = data_dir(getattr(args, "data_dir", None), create=not reads_only)
    with SessionStore.open(database_path(folder)) as store:
        return action(store, args)


def _list(store: SessionStore, args: argparse.Namespace) -> int:
    where = CallFilter(
        trainee=args.trainee,
        scenario_id=args.scenario,
        difficulty=args.difficulty,
        ending=args.ending,
        since=_date(args.since, "--since"),
        until=_date(args.until, "--until"),
    )
    calls = store.calls(where, sort=args.sort, descending=not args.ascending, limit=args.limit)
    if args.json:
        _print_json([call_json(call, None) for call in calls])
        return 0
    if not calls:
        print("No calls yet." if where == CallFilter() else "No calls match.")
        return 0
    header = ("ID", "Date", "Trainee", "Scenario", "Difficulty", "Ending", "Emp", "Comp", "Time")
    _print_table(header, [_list_row(call) for call in calls], numeric={0, 6, 7, 8})
    return 0


def _show(store: SessionStore, args: argparse.Namespace) -> int:
    report = call_report(store, args.call_id)
    if args.json:
        _print_json(report.to_json()["call"])
        return 0
    call = report.call
    print(f"Call {call.id}: {call.scenario_title} ({call.difficulty}) with {call.trainee}")
    print(
        f"{_local(call.started_at)}, {_duration(call.duration_seconds) or 'not finished'}, "
        f"{_ending(call.ending)}; empathy {_score(call.empathy)}, "
        f"composure {_score(call.composure)}, trust {call.starting_trust} -> "
        f"{call.final_trust if call.final_trust is not None else '?'}"
    )
    # The attempts a retry replaced are shown before the answer that replaced them.
    earlier: dict[int, list[TurnRecord]] = {}
    for saved in store.call_turns(call.id, with_superseded=True):
        if saved.turn.superseded:
            earlier.setdefault(saved.turn.number, []).append(saved.turn)
    for saved in report.turns:
        turn = saved.turn
        print(f"\n{turn.number}. Customer ({turn.customer_mood}): {turn.customer_line}")
        for attempt in earlier.get(turn.number, []):
            print(
                f"   tried again; attempt {attempt.attempt}: {attempt.transcript}  "
                f"(empathy {attempt.empathy}  composure {attempt.composure}  "
                f"trust {attempt.trust_before} -> {attempt.trust_after})"
            )
        print(f"   {call.trainee} ({turn.recogniser}): {turn.transcript}")
        if turn.transcript_heard and turn.transcript_heard != turn.transcript:
            print(f"   corrected from what was heard: {turn.transcript_heard}")
        print(
            f"   empathy {turn.empathy}  composure {turn.composure}  "
            f"trust {turn.trust_before} -> {turn.trust_after}  ({turn.reaction})"
        )
        if saved.override is not None:
            change = saved.override
            print(
                f"   facilitator: empathy {change.empathy}/4  composure {change.composure}/4"
                f"  ({change.reason})"
            )
        for quote in turn.evidence:
            print(f"   + {quote}")
        for tip in turn.tips:
            print(f"   tip: {tip}")
        parts = ", ".join(f"{name} {part.get('score')}" for name, part in turn.components.items())
        if parts:
            print(f"   parts: {parts}")
        if saved.recording:
            print(f"   recording: {saved.recording}")
    if not report.turns:
        print("\nNo replies were saved in this call.")
    return 0


def _progress(store: SessionStore, args: argparse.Namespace) -> int:
    series = progress_series(store, args.trainee)
    standing = trainee_standing(series)
    if args.json:
        _print_json(standing_json(standing))
        return 0
    if not standing.calls:
        print(f"{series.trainee} has no calls with replies yet.")
        return 0
    print(f"{series.trainee}: {standing.calls} calls")
    for label, level in (("Empathy", standing.empathy), ("Composure", standing.composure)):
        if level:
            print(f"  {label:<10} {level.score:5.1f}  {level.level}")
    if standing.words_per_minute is not None:
        print(f"  Pace       {standing.words_per_minute:5.0f}  words a minute")
    if standing.strongest:
        print("Strongest: " + ", ".join(skill.label for skill in standing.strongest))
    if standing.weakest:
        print("Weakest:   " + ", ".join(skill.label for skill in standing.weakest))
    print(f"Practise next: {standing.practise_next}")
    return 0


def _trainees(store: SessionStore, args: argparse.Namespace) -> int:
    trainees = store.trainees()
    counts = {t.name: store.count_calls(CallFilter(trainee=t.name)) for t in trainees}
    if args.json:
        _print_json([{**asdict(trainee), "calls": counts[trainee.name]} for trainee in trainees])
        return 0
    if not trainees:
        print("No trainees yet.")
        return 0
    rows = [
        (
            trainee.name,
            trainee.team or "",
            trainee.branch or "",
            "on" if trainee.records_replies else "off",
            str(counts[trainee.name]),
        )
        for trainee in trainees
    ]
    _print_table(("Trainee", "Team", "Branch", "Recording", "Calls"), rows, numeric={4})
    return 0


def _profile(store: SessionStore, args: argparse.Namespace) -> int:
    existing = store.trainees()
    current = next((t for t in existing if t.name.casefold() == args.name.strip().casefold()), None)
    team = args.team if args.team is not None else (current.team if current else None)
    branch = args.branch if args.branch is not None else (current.branch if current else None)
    trainee = store.save_trainee(args.name, team=team, branch=branch)
    if args.recording is not None:
        store.set_recording_consent(trainee.name, args.recording == "on")
        if args.recording == "on":
            print(
                f"Recording is on for {trainee.name}: their spoken replies will be kept as audio "
                f"files in {store.data_folder / 'recordings'} until deleted."
            )
    trainee = store.trainee(trainee.name)
    print(
        f"{trainee.name}: team {trainee.team or '-'}, branch {trainee.branch or '-'}, "
        f"recording {'on' if trainee.records_replies else 'off'}"
    )
    return 0


def _export(store: SessionStore, args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    if args.format == "csv":
        rows = write_csv(store, out, trainee=args.trainee, call_id=args.call)
        print(f"Wrote {rows} rows to {out}")
    elif args.format == "json":
        write_json(store, out, trainee=args.trainee, call_id=args.call)
        print(f"Wrote {out}")
    else:
        _export_pdf(store, args, out)
    return 0


def _export_pdf(store: SessionStore, args: argparse.Namespace, out: Path) -> None:
    if args.trainee is None and args.call is None:
        raise UserError("a PDF report is of one call or one trainee: give --call or --trainee")
    if not out.parent.is_dir():
        raise ValueError(f"cannot write {out}: the folder {out.parent} does not exist")
    # Nothing is shown on screen: Qt draws the report without a display.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from app.gui.reports import write_call_report, write_progress_report
    except ImportError as error:
        raise UserError(f"PDF reports are not available: {error}") from None
    if args.call is not None:
        write_call_report(out, call_report(store, args.call))
    else:
        write_progress_report(out, trainee_report(store, args.trainee))
    print(f"Wrote {out}")


def _delete(store: SessionStore, args: argparse.Namespace) -> int:
    trainee = store.trainee(args.trainee)
    calls = store.count_calls(CallFilter(trainee=trainee.name))
    if not args.yes:
        question = (
            f"Delete {trainee.name} for good: the profile, {calls} calls with every reply, "
            "and every recording? [y/N] "
        )
        try:
            answer = input(question)
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was deleted.")
            return EXIT_DECLINED
    erased = store.delete_trainee(trainee.name)
    cleaned = f", cleaned {erased.backups_cleaned} backup copies" if erased.backups_cleaned else ""
    print(
        f"Deleted {erased.name}: {erased.calls} calls, {erased.turns} replies, "
        f"{erased.recordings} recordings{cleaned}."
    )
    return 0


_ACTIONS: dict[str, Callable[[SessionStore, argparse.Namespace], int]] = {
    "list": _list,
    "show": _show,
    "progress": _progress,
    "trainees": _trainees,
    "profile": _profile,
    "export": _export,
    "delete": _delete,
}


def _list_row(call: CallRow) -> tuple[str, ...]:
    return (
        str(call.id),
        _local(call.started_at),
        call.trainee,
        call.scenario_title,
        call.difficulty,
        _ending(call.ending),
        _score(call.empathy),
        _score(call.composure),
        _duration(call.duration_seconds),
    )


def _date(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"{option} {text!r} is not a date: write it as YYYY-MM-DD") from None


def _local(moment: str) -> str:
    """A stored UTC time in the user's time zone, to the minute."""
    return datetime.fromisoformat(moment).astimezone().strftime("%Y-%m-%d %H:%M")


def _ending(ending: str | None) -> str:
    return ending.replace("_", " ") if ending else "in progress"


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def _print_table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if i in numeric else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print(line(header))
    for row in rows:
        print(line(row))


def _print_json(value: object) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
