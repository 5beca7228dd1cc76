"""The observers' page in a real browser: five phones join with the PIN, rate a reply, and
see the tally once the facilitator reveals it."""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.wait import WebDriverWait

from app.room.observers import ObserverRoom
from app.room.server import RoomServer
from tests.room.browser import chromium
from tests.room.conftest import REPLY

OBSERVERS = 5


def wait_for(driver: WebDriver, element_id: str, text: str = "") -> None:
    def ready(_: object) -> bool:
        found = driver.find_element(By.ID, element_id)
        return found.is_displayed() and text in found.text

    WebDriverWait(driver, 10).until(ready)


def join(driver: WebDriver, url: str, pin: str) -> None:
    driver.get(url)
    driver.find_element(By.ID, "pin").send_keys(pin)
    driver.find_element(By.ID, "join-button").click()
    wait_for(driver, "room-name", "Thursday group")


def test_five_observers_join_rate_and_see_the_reveal(
    server: RoomServer, room: ObserverRoom, tmp_path: Path
) -> None:
    with chromium() as driver:
        driver.get(server.url)
        driver.find_element(By.ID, "pin").send_keys("000000")
        driver.find_element(By.ID, "join-button").click()
        wait_for(driver, "join-error", "wrong PIN")

        tabs = []
        for _ in range(OBSERVERS):
            driver.switch_to.new_window("tab")
            join(driver, server.url, room.pin)
            tabs.append(driver.current_window_handle)
        assert room.observer_count == OBSERVERS

        room.call_to_seat("Ana")
        room.open_reply(REPLY)
        for number, tab in enumerate(tabs):
            driver.switch_to.window(tab)
            wait_for(driver, "transcript", "block the card")
            assert driver.find_element(By.ID, "seat").text == "In the seat: Ana"
            assert driver.find_element(By.ID, "reply-by").text == "Ana's reply"
            driver.find_element(By.ID, f"empathy-{2 + number % 3}").click()
            driver.find_element(By.ID, "composure-4").click()
            driver.find_element(By.ID, "technique-next_step").click()
            if number == 0:
                driver.save_screenshot(str(tmp_path / "rating.png"))
            driver.find_element(By.ID, "send").click()
            wait_for(driver, "sent", "have rated")
        assert room.everyone_rated
        # Nothing of the machine's score reached a page before the reveal.
        assert "78" not in driver.find_element(By.TAG_NAME, "body").text

        tally = room.reveal()
        assert tally.ratings == OBSERVERS and tally.empathy.median == 3
        for tab in tabs:
            driver.switch_to.window(tab)
            wait_for(driver, "tally-empathy", "People 3")
            assert "Machine 3" in driver.find_element(By.ID, "tally-empathy").text
            assert "scored 78 of 100" in driver.find_element(By.ID, "tally").text
        assert "a concrete next step (5)" in driver.find_element(By.ID, "tally").text

        room.close()
        wait_for(driver, "join-error", "closed")
