"""A bounded load test of the room's server: simulated observers join and rate every reply,
as the page does, against the real server on the loopback address.

Each observer is its own HTTP connection that waits for news like the page, rates each reply
the moment it appears and waits again. The facilitator puts up the next reply once everyone
has rated and the ratings are checked. It stops by itself: a fixed number of replies, and a
time limit on each.
"""

from __future__ import annotations

import asyncio
import ipaddress
import random
import statistics
import time
from dataclasses import dataclass

import aiohttp

from app.room.observers import ObserverRoom, Reply
from app.room.server import RoomServer

REPLY_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class LoadResult:
    observers: int
    replies: int
    ratings_sent: int
    ratings_kept: int
    lost: int
    round_trips_ms: tuple[float, ...]
    seconds: float

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.round_trips_ms)

    @property
    def p95_ms(self) -> float:
        return percentile(self.round_trips_ms, 95)

    @property
    def max_ms(self) -> float:
        return max(self.round_trips_ms)

    def to_json(self) -> dict[str, object]:
        return {
            "observers": self.observers,
            "replies": self.replies,
            "ratings_sent": self.ratings_sent,
            "ratings_kept": self.ratings_kept,
            "lost": self.lost,
            "rating_round_trip_ms": {
                "p50": round(self.p50_ms, 1),
                "p95": round(self.p95_ms, 1),
                "max": round(self.max_ms, 1),
            },
            "seconds": round(self.seconds, 1),
        }


def percentile(values: tuple[float, ...] | list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 100))
    return ordered[int(rank) - 1]


def rating_of(observer: int, reply: int) -> tuple[int, int]:
    """What observer n gives reply r: varied, and known, so every kept rating can be checked."""
    return (observer + reply) % 5, (observer * 3 + reply) % 5


async def _observer(
    url: str, pin: str, replies: int, trips: list[float], started: asyncio.Event
) -> int:
    """Join, then rate every reply as it appears; returns how many ratings were accepted."""
    accepted = 0
    connector = aiohttp.TCPConnector(limit=1)  # one phone, one connection
    async with aiohttp.ClientSession(url, connector=connector) as http:
        async with http.post("/api/join", json={"pin": pin}) as answer:
            answer.raise_for_status()
            token = (await answer.json())["token"]
        headers = {"Authorization": f"Bearer {token}"}
        await started.wait()
        version, last_rated = 0, 0
        while last_rated < replies:
            async with http.get(f"/api/state?since={version}", headers=headers) as answer:
                answer.raise_for_status()
                view = await answer.json()
            version = view["version"]
            reply = view["reply"]
            if reply is None or reply["id"] <= last_rated:
                continue
            observer = view["observer"]
            empathy, composure = rating_of(observer, reply["id"])
            # People tap at different moments; this spreads the ratings as they would be.
            await asyncio.sleep(random.uniform(0, 0.2))
            sent = time.perf_counter()
            async with http.post(
                "/api/rate",
                json={"reply": reply["id"], "empathy": empathy, "composure": composure},
                headers=headers,
            ) as answer:
                await answer.read()
                trips.append((time.perf_counter() - sent) * 1000)
                if answer.status == 200:
                    accepted += 1
            last_rated = reply["id"]
    return accepted


async def _run(room: ObserverRoom, url: str, observers: int, replies: int) -> LoadResult:
    trips: list[float] = []
    started = asyncio.Event()
    tasks = [
        asyncio.create_task(_observer(url, room.pin, replies, trips, started))
        for _ in range(observers)
    ]
    while room.observer_count < observers:
        await asyncio.sleep(0.01)
        for task in tasks:
            if task.done():
                task.result()  # an observer that could not join stops the test with its error
    began = time.perf_counter()
    started.set()
    kept = 0
    for number in range(1, replies + 1):
        room.open_reply(Reply(number, "Ana", f"Line {number}", f"Reply {number}", 50, 50))
        deadline = time.perf_counter() + REPLY_TIMEOUT_SECONDS
        while not room.everyone_rated:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"reply {number}: {room.rated_count} of {observers} rated")
            await asyncio.sleep(0.005)
        ratings = room.ratings()
        kept += sum(
            1
            for rating in ratings
            if (rating.empathy, rating.composure) == rating_of(rating.observer, number)
        )
        room.reveal()
    accepted = sum(await asyncio.gather(*tasks))
    sent = len(trips)
    return LoadResult(
        observers=observers,
        replies=replies,
        ratings_sent=sent,
        ratings_kept=kept,
        lost=observers * replies - kept + (sent - accepted),
        round_trips_ms=tuple(trips),
        seconds=time.perf_counter() - began,
    )


def run_load(host: str = "127.0.0.1", observers: int = 40, replies: int = 50) -> LoadResult:
    """Starts a room's server on a loopback address, runs the load against it and stops it."""
    if not ipaddress.ip_address(host).is_loopback:
        raise ValueError("the load test runs only against a loopback address (127.0.0.1)")
    if not (1 <= observers <= 100 and 1 <= replies <= 500):
        raise ValueError("1-100 observers and 1-500 replies")
    room = ObserverRoom("Load test")
    server = RoomServer(room, host, 0)
    url = server.start()
    try:
        return asyncio.run(asyncio.wait_for(_run(room, url, observers, replies), 600))
    finally:
        room.close()
        server.stop()
