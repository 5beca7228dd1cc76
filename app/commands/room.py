"""`skeptic room`: run a training room without the window, list rooms, write a room's report."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.paths import data_dir, database_path
from app.room.report import room_report
from app.room.report_csv import write_room_csv
from app.storage import SessionStore
from app.storage.rooms import RoomRecords


def run_room(args: argparse.Namespace) -> int:
    if not args.room_command:  # `skeptic room` alone lists the rooms
        args.room_command, args.json = "list", False
    if args.room_command == "serve":
        from app.commands.room_serve import run_room_serve

        return run_room_serve(args)
    folder = data_dir(getattr(args, "data_dir", None))
    with SessionStore.open(database_path(folder)) as store:
        if args.room_command == "report":
            return _report(store, args)
        return _list(store, args)


def _list(store: SessionStore, args: argparse.Namespace) -> int:
    rooms = RoomRecords(store.db)
    listed = [
        {
            "id": room.id,
            "name": room.name,
            "opened_at": room.opened_at,
            "closed_at": room.closed_at,
            "trainees": [member.name for member in rooms.members(room.id)],
            "calls": len(rooms.call_ids(room.id)),
        }
        for room in rooms.rooms()
    ]
    if args.json:
        print(json.dumps(listed))
    elif not listed:
        print("No rooms yet.")
    for room in [] if args.json else listed:
        print(
            f"{room['id']:>4}  {str(room['opened_at'])[:16].replace('T', ' ')}  {room['name']}"
            f"  ({', '.join(room['trainees'])}; {room['calls']} calls)"  # type: ignore[arg-type]
        )
    return 0


def _report(store: SessionStore, args: argparse.Namespace) -> int:
    report = room_report(store, args.room)
    out = Path(args.out)
    if args.format == "csv":
        write_room_csv(out, report)
    else:
        from app.gui.room_report_pdf import write_room_report

        write_room_report(out, report)
    print(f"wrote {out}")
    return 0
