"""`skeptic room serve` end to end: three trainees take the seat in turn, five observers in a
real browser join with the PIN, rate each reply and see the tally; the calls land in each
trainee's own history with the ratings beside them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from app.paths import PROJECT_ROOT, database_path
from app.storage import SessionStore
from app.storage.rooms import RoomRecords
from tests.room.browser import chromium

OBSERVERS = 5
REPLIES = (
    "I can hear how worrying that is. Let me check that charge with you right now.",
    "That's not my problem, you should have checked your statement sooner.",
    "You're right to be careful. I'll block the card now and call you back by five today.",
)


@pytest.fixture
def room_serve(
    tmp_path: Path, private_data_dir: Path
) -> Iterator[tuple[subprocess.Popen[str], dict[str, object]]]:
    roster = tmp_path / "roster.txt"
    roster.write_text("Ana\n+ Ben (Benji)\n+ Cleo\n", encoding="utf-8")
    command = [
        *(sys.executable, "-m", "app", "room", "serve", "--roster", str(roster)),
        *("--scenario", "unrecognised-charge", "--host", "127.0.0.1", "--port", "0"),
        *("--replies-per-seat", "1", "--name", "Thursday group", "--wait", "60", "--json"),
        *("--seed", "3", "--data-dir", str(private_data_dir)),
    ]
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first, process.stderr.read() if process.stderr else ""
    try:
        yield process, json.loads(first)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        if process.stderr is not None:
            print(process.stderr.read())  # shown when the test fails


def send(process: subprocess.Popen[str], line: str) -> None:
    assert process.stdin is not None
    process.stdin.write(line + "\n")
    process.stdin.flush()


def wait_for(driver: WebDriver, element_id: str, text: str) -> None:
    WebDriverWait(driver, 20).until(
        lambda _: (
            text in driver.find_element(By.ID, element_id).text
            and driver.find_element(By.ID, element_id).is_displayed()
        )
    )


def test_three_trainees_five_observers(
    room_serve: tuple[subprocess.Popen[str], dict[str, object]], private_data_dir: Path
) -> None:
    process, facts = room_serve
    assert set(facts) == {"url", "pin", "room_id", "name", "host", "port"}
    url, pin = str(facts["url"]), str(facts["pin"])
    assert url.startswith("http://127.0.0.1:") and len(pin) == 6 and pin.isdigit()

    with chromium() as driver:
        tabs = []
        for _ in range(OBSERVERS):
            driver.switch_to.new_window("tab")
            driver.get(url)
            driver.find_element(By.ID, "pin").send_keys(pin)
            driver.find_element(By.ID, "join-button").click()
            wait_for(driver, "room-name", "Thursday group")
            tabs.append(driver.current_window_handle)
        send(process, f"/observers {OBSERVERS}")

        for seat, (trainee, reply) in enumerate(zip(("Ana", "Ben", "Cleo"), REPLIES, strict=True)):
            send(process, reply)
            for number, tab in enumerate(tabs):
                driver.switch_to.window(tab)
                wait_for(driver, "reply-by", f"{trainee}'s reply")
                wait_for(driver, "transcript", reply[:30])
                driver.find_element(By.ID, f"empathy-{(seat + number) % 5}").click()
                driver.find_element(By.ID, "composure-3").click()
                driver.find_element(By.ID, "send").click()
                wait_for(driver, "sent", "have rated")
            send(process, "/ratings")
            send(process, "/reveal")
            for tab in tabs:
                driver.switch_to.window(tab)
                wait_for(driver, "tally", "The room's ratings")
            if trainee == "Ben":
                send(process, "/override 1 2 Blamed the customer for not checking")
        send(process, "/close")
        assert process.wait(timeout=30) == 0
        wait_for(driver, "join-error", "closed")  # the page knows the room has gone

    with SessionStore.open(database_path(private_data_dir)) as store:
        for trainee in ("Ana", "Ben", "Cleo"):
            [call] = store.sessions(trainee)  # each in their own history
            assert call.turn_count == 1
        rooms = RoomRecords(store.db)
        [room] = rooms.rooms()
        assert room.closed_at is not None and room.replies_per_seat == 1
        ratings = rooms.ratings(room.id)
        assert sorted(len(r) for r in ratings.values()) == [OBSERVERS] * 3
        ben_turn = store.call_turns(store.sessions("Ben")[0].id)[0]
        assert ben_turn.override is not None and ben_turn.override.empathy == 1
        assert ben_turn.turn.empathy != 1  # the machine's score, kept


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("--scenario", "no-such-scenario"), "no scenario 'no-such-scenario'"),
        (("--host", "0.0.0.0"), "every network"),
        (("--host", "192.0.2.1"), "cannot listen on 192.0.2.1"),
        (("--roster", "missing.txt"), "missing.txt: no such file"),
        (("--replies-per-seat", "0"), "1 or more"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_code_2(
    tmp_path: Path, private_data_dir: Path, change: tuple[str, str], expected: str
) -> None:
    roster = tmp_path / "roster.txt"
    roster.write_text("Ana\n", encoding="utf-8")
    options = {
        "--roster": str(roster),
        "--scenario": "unrecognised-charge",
        "--host": "127.0.0.1",
        "--port": "0",
    }
    flag, value = change
    options[flag] = value if flag != "--roster" else str(tmp_path / value)
    arguments = [item for pair in options.items() for item in pair]
    result = subprocess.run(
        [sys.executable, "-m", "app", "room", "serve", *arguments, "--json",
         "--data-dir", str(private_data_dir)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
