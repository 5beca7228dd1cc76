"""The room report (data, CSV, PDF) and `calibrate --rooms` on a room held in a database."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from app.cli import main
from app.paths import database_path
from app.room.report import room_report
from app.room.report_csv import write_room_csv
from app.storage import SessionStore
from tests.room.rooms_db import hold_room


@pytest.fixture
def held(private_data_dir: Path) -> tuple[Path, int, list[int]]:
    with SessionStore.open(database_path(private_data_dir)) as store:
        room_id, turn_ids = hold_room(store)
    return private_data_dir, room_id, turn_ids


def test_the_report_puts_every_score_of_a_reply_side_by_side(
    held: tuple[Path, int, list[int]],
) -> None:
    folder, room_id, _ = held
    with SessionStore.open(database_path(folder)) as store:
        report = room_report(store, room_id)
    assert [line.trainee for line in report.replies] == ["Ana", "Ana", "Ben", "Ben", "Cleo", "Cleo"]
    first, ben = report.replies[0], report.replies[2]
    assert first.machine == {"empathy": 85, "composure": 90}
    assert first.machine_level("empathy") == 3
    assert first.observer_median == {"empathy": 4.0, "composure": 4.0}
    assert first.facilitator is None and first.people("empathy") == 4.0
    assert ben.facilitator is not None and ben.facilitator.empathy == 2
    assert ben.people("empathy") == 2.0  # the facilitator's, over the observers' median of 1
    assert ben.observer_median["empathy"] == 1.0  # ... which is still kept


def test_agreement_leaderboard_and_what_to_practise(held: tuple[Path, int, list[int]]) -> None:
    folder, room_id, _ = held
    with SessionStore.open(database_path(folder)) as store:
        report = room_report(store, room_id)
    empathy = report.agreement["empathy"]
    assert empathy.replies == 6
    assert empathy.spearman > 0.8  # these people and this machine order replies alike
    assert empathy.within_one == 1.0
    assert empathy.observer_spread is not None and 0 < empathy.observer_spread < 1
    # Cleo did not opt in; Ana chose an alias.
    assert [line.name for line in report.leaderboard] == ["Ace", "Ben"]
    assert report.leaderboard[0].empathy == 3.5
    assert report.practise_next[0].startswith("A concrete next step (group average 20)")


def test_the_csv_has_a_row_per_reply(held: tuple[Path, int, list[int]], tmp_path: Path) -> None:
    folder, room_id, _ = held
    with SessionStore.open(database_path(folder)) as store:
        write_room_csv(tmp_path / "room.csv", room_report(store, room_id))
    rows = list(csv.DictReader((tmp_path / "room.csv").open(encoding="utf-8-sig")))
    assert len(rows) == 6
    assert rows[2]["trainee"] == "Ben" and rows[2]["facilitator_empathy"] == "2"
    assert rows[2]["facilitator_reason"] == "Ben owned the mistake before explaining"
    assert rows[2]["observers_empathy_median"] == "1.0" and rows[2]["machine_empathy"] == "30"
    assert rows[0]["facilitator_empathy"] == ""


def test_room_report_commands_write_csv_and_pdf(
    held: tuple[Path, int, list[int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, room_id, _ = held
    for kind in ("csv", "pdf"):
        out = tmp_path / f"room.{kind}"
        args = ["room", "report", "--room", str(room_id), "--format", kind, "--out", str(out)]
        assert main([*args, "--data-dir", str(folder)]) == 0
        assert out.stat().st_size > 500
    assert (tmp_path / "room.pdf").read_bytes().startswith(b"%PDF")
    assert main(["room", "list", "--json", "--data-dir", str(folder)]) == 0
    listed = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert listed[0]["trainees"] == ["Ana", "Ben", "Cleo"] and listed[0]["calls"] == 3
    assert main(["room", "report", "--room", "99", "--format", "csv", "--out", "x.csv",
                 "--data-dir", str(folder)]) == 2  # fmt: skip
    assert "no room 99" in capsys.readouterr().err


def test_calibrate_reports_agreement_room_by_room(
    held: tuple[Path, int, list[int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _, _ = held
    with SessionStore.open(database_path(folder)) as store:
        hold_room(store, "Friday group")
    labels = tmp_path / "labels.jsonl"
    args = ["calibrate", "--rooms", "--json", "--labels-out", str(labels)]
    assert main([*args, "--data-dir", str(folder)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [room["name"] for room in result["rooms"]] == ["Thursday group", "Friday group"]
    assert result["all_rooms"]["empathy"]["replies"] == 12
    assert result["rooms"][0]["empathy"]["spearman"] > 0.8
    # The people's labels can be checked the usual way too.
    assert main(["calibrate", str(labels), "--json", "--data-dir", str(folder)]) == 0
    assert json.loads(capsys.readouterr().out)["replies"] == 12


def test_a_turn_shows_the_facilitator_change_in_the_history(
    held: tuple[Path, int, list[int]], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _, _ = held
    with SessionStore.open(database_path(folder)) as store:
        ben_call = store.sessions("Ben")[0].id
    assert main(["history", "show", str(ben_call), "--data-dir", str(folder)]) == 0
    shown = capsys.readouterr().out
    assert "empathy 30" in shown  # the machine's
    assert "facilitator: empathy 2/4  composure 2/4  (Ben owned the mistake" in shown
    assert main(["history", "show", str(ben_call), "--json", "--data-dir", str(folder)]) == 0
    turns = json.loads(capsys.readouterr().out)["turns"]
    assert turns[0]["empathy"] == 30 and turns[0]["facilitator"]["empathy"] == 2
