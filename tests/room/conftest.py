"""A real room server on the loopback address for every test that needs one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.room.observers import ObserverRoom, Reply
from app.room.server import RoomServer
from tests.room.http import Client

REPLY = Reply(
    id=7,
    trainee="Ana",
    customer_line="Someone took money from my account. Why should I trust you?",
    transcript="I can hear how worrying that is. I'll block the card now.",
    machine_empathy=78,
    machine_composure=90,
)


@pytest.fixture
def room() -> ObserverRoom:
    return ObserverRoom("Thursday group")


@pytest.fixture
def server(room: ObserverRoom) -> Iterator[RoomServer]:
    running = RoomServer(room, "127.0.0.1", 0)
    running.start()
    yield running
    running.stop()


@pytest.fixture
def client(server: RoomServer) -> Iterator[Client]:
    connection = Client(server.url)
    yield connection
    connection.close()
