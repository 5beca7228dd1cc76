"""Progress, proficiency, strengths and exports computed from a real stored history."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.history import (
    call_report,
    progress_series,
    recency_weighted,
    trainee_report,
    trainee_standing,
    write_csv,
    write_json,
)
from app.paths import database_path
from app.storage import SessionStore
from tests.storage.helpers import add_call, make_turn

NOW = datetime(2024, 6, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(private_data_dir: Path) -> Iterator[SessionStore]:
    with SessionStore.open(database_path(private_data_dir)) as opened:
        yield opened


def days_ago(days: int) -> datetime:
    return NOW - timedelta(days=days)


def test_one_bad_day_moves_the_level_only_a_little() -> None:
    steady = [(days_ago(day), 80.0) for day in range(1, 11)]
    bad_day = [(days_ago(0), 20.0), (days_ago(0), 25.0), (days_ago(0), 15.0)]

    before = recency_weighted(steady, NOW)
    after = recency_weighted([*steady, *bad_day], NOW)

    assert before is not None and after is not None
    assert before.score == 80.0 and before.level == "expert"
    assert 70.0 < after.score < 80.0  # a plain average of the calls would be 66
    assert (after.days, after.samples) == (11, 13)
    assert recency_weighted([], NOW) is None


def test_older_practice_counts_less_than_recent_practice() -> None:
    improving = [(days_ago(60), 30.0), (days_ago(1), 70.0)]
    level = recency_weighted(improving, NOW)
    assert level is not None and level.score > 60.0  # nearer today's 70 than the plain 50


def test_strongest_and_weakest_skills_and_the_next_thing_to_practise(store: SessionStore) -> None:
    for day in (3, 2, 1):
        add_call(
            store, "Ana", [(70, 80)], started_at=days_ago(day).isoformat(timespec="milliseconds")
        )
    series = progress_series(store, "ana")
    standing = trainee_standing(series, NOW)

    assert series.trainee == "Ana" and len(series.points) == 3
    assert series.measures == [
        "empathy",
        "composure",
        "words_per_minute",
        "acknowledges_feeling",
        "next_step",
        "steady_pace",
    ]
    assert [value for _, value in series.values("next_step")] == [40.0, 40.0, 40.0]
    assert [skill.name for skill in standing.skills] == [
        "steady_pace",
        "acknowledges_feeling",
        "next_step",
    ]
    assert [s.name for s in standing.strongest] == ["steady_pace"]
    assert [s.name for s in standing.weakest] == ["next_step"]
    assert standing.practise_next.startswith("A concrete next step:")
    assert standing.empathy is not None and standing.empathy.score == 70.0
    assert standing.words_per_minute == 140.0
    assert standing.skills[0].change == 0.0


def test_a_trainee_without_replies_is_told_to_take_a_first_call(store: SessionStore) -> None:
    store.save_trainee("Ben")
    standing = trainee_standing(progress_series(store, "Ben"), NOW)
    assert (standing.calls, standing.empathy, standing.skills) == (0, None, ())
    assert standing.practise_next == "Take a first call to see where to start."


def test_csv_has_one_row_per_turn_with_the_call_and_opens_as_utf8(
    store: SessionStore, tmp_path: Path
) -> None:
    store.save_trainee("Zoë", team="Cards")
    first = add_call(store, "Zoë", [(70, 80), (50, 60)])
    store.save_turn(
        store.start_session("Zoë", "unrecognised-charge", "Charge", "standard", 30),
        make_turn(1, transcript='=HYPERLINK("http://x")', recogniser="typed"),
    )
    empty = add_call(store, "Zoë", [], ending="ended_early")
    add_call(store, "Someone else", [(10, 10)])
    out = tmp_path / "zoe.csv"

    rows_written = write_csv(store, out, trainee="zoë")

    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet programs look for
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows_written == len(rows) == 4
    assert {row["trainee"] for row in rows} == {"Zoë"}
    assert [(row["call_id"], row["turn_number"]) for row in rows][:2] == [
        (str(first), "1"),
        (str(first), "2"),
    ]
    assert rows[0]["team"] == "Cards" and rows[0]["turn_empathy"] == "70"
    assert rows[0]["score_next_step"] == "40"
    assert rows[0]["evidence"] == "I understand why you'd doubt me"
    assert rows[2]["turn_transcript"] == '\'=HYPERLINK("http://x")'  # not run as a formula
    assert rows[3]["call_id"] == str(empty) and rows[3]["turn_number"] == ""


def test_json_export_of_a_trainee_carries_profile_progress_standing_and_turns(
    store: SessionStore, tmp_path: Path
) -> None:
    call = add_call(store, "Ana", [(70, 80)])
    out = tmp_path / "ana.json"
    write_json(store, out, trainee="Ana")
    document = json.loads(out.read_text(encoding="utf-8"))

    assert document["format"] == "skeptic-trainee"
    assert document["trainee"]["name"] == "Ana"
    assert document["standing"]["weakest"] == ["next_step"]
    assert document["progress"]["empathy"]["points"][0]["value"] == 70.0
    assert document["calls"][0]["id"] == call
    assert document["calls"][0]["turns"][0]["transcript"].startswith("I understand")

    everything = tmp_path / "all.json"
    write_json(store, everything)
    assert [c["id"] for c in json.loads(everything.read_text())["calls"]] == [call]


def test_reports_gather_one_call_or_one_trainee(store: SessionStore) -> None:
    call = add_call(store, "Ana", [(70, 80), (60, 70)])
    report = call_report(store, call)
    assert report.call.id == call and [t.turn.number for t in report.turns] == [1, 2]
    assert report.to_json()["call"]["turns"][1]["empathy"] == 60

    progress = trainee_report(store, "ana", NOW)
    assert progress.trainee.name == "Ana"
    assert [c.id for c in progress.calls] == [call]
    assert progress.standing.calls == 1


def test_an_export_into_a_missing_folder_is_refused_in_one_line(
    store: SessionStore, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        write_csv(store, tmp_path / "nowhere" / "out.csv")
    with pytest.raises(LookupError, match="no trainee called 'Nobody'"):
        write_csv(store, tmp_path / "out.csv", trainee="Nobody")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
