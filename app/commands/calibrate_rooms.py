"""`skeptic calibrate --rooms`: the people in training rooms as the labels. How far the
machine agrees with the facilitator's scores (or else the observers' median), room by room."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.errors import UserError
from app.paths import data_dir, database_path
from app.room.report import SCALES, ReplyLine, RoomReport, ScaleAgreement, agreement, room_report
from app.storage import SessionStore
from app.storage.rooms import ObserverRating, RoomRecords


def run_calibrate_rooms(args: argparse.Namespace) -> int:
    folder = data_dir(getattr(args, "data_dir", None))
    with SessionStore.open(database_path(folder)) as store:
        records = RoomRecords(store.db)
        reports = [room_report(store, room.id) for room in records.rooms()]
        ratings: dict[int, list[ObserverRating]] = {}
        for room in records.rooms():
            ratings.update(records.ratings(room.id))
    scored = [r for r in reports if any(r.agreement[s].replies for s in SCALES)]
    if not scored:
        raise UserError("no room has replies scored by people yet")
    replies = [line for report in scored for line in report.replies]
    overall = {scale: agreement(replies, ratings, scale) for scale in SCALES}
    if args.labels_out:
        _write_labels(Path(args.labels_out), replies)
    if args.json:
        print(json.dumps(_as_json(scored, overall)))
    else:
        print(_as_text(scored, overall))
    return 0


def _as_json(reports: list[RoomReport], overall: dict[str, ScaleAgreement]) -> dict[str, object]:
    return {
        "rooms": [
            {
                "id": report.room.id,
                "name": report.room.name,
                **{scale: report.agreement[scale].to_json() for scale in SCALES},
            }
            for report in reports
        ],
        "all_rooms": {scale: overall[scale].to_json() for scale in SCALES},
    }


def _as_text(reports: list[RoomReport], overall: dict[str, ScaleAgreement]) -> str:
    lines = [f"{'':10} {'replies':>7} {'Spearman':>9} {'within 1':>9} {'machine-people':>15}"]

    def rows(title: str, agreements: dict[str, ScaleAgreement]) -> None:
        lines.append(title)
        for scale in SCALES:
            a = agreements[scale]
            lines.append(
                f"{scale:10} {a.replies:7d} {a.spearman:9.3f} {a.within_one:9.0%}"
                f" {a.machine_minus_people:+15.2f}"
            )

    for report in reports:
        rows(f"Room {report.room.id} {report.room.name!r}", report.agreement)
    rows("All rooms", overall)
    return "\n".join(lines)


def _write_labels(path: Path, replies: list[ReplyLine]) -> None:
    """The people's levels as a labelled set that `skeptic calibrate FILE` reads."""
    with open(path, "w", encoding="utf-8") as out:
        for line in replies:
            empathy, composure = line.people("empathy"), line.people("composure")
            if empathy is None or composure is None:
                continue
            item = {
                "id": f"room-turn-{line.turn_id}",
                "situation": line.customer_line,
                "customer": line.customer_line,
                "reply": line.transcript,
                "empathy": int(empathy + 0.5),
                "composure": int(composure + 0.5),
            }
            out.write(json.dumps(item) + "\n")
