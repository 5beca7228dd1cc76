"""Attacks on the real server on 127.0.0.1: wrong PINs, replayed and foreign tokens, other
sites, oversized and malformed posts, and asking for more than the projector shows."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.room.observers import ObserverRoom
from app.room.server import MAX_BODY_BYTES, RoomServer, RoomServerError
from tests.room.conftest import REPLY
from tests.room.http import Client


def joined(client: Client, room: ObserverRoom) -> str:
    answer = client.join(room.pin)
    assert answer.status == 200, answer.body
    return str(answer.body["token"])


def wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 1_000_000:06d}"


def test_nothing_is_served_before_the_room_opens_or_after_it_closes(room: ObserverRoom) -> None:
    server = RoomServer(room, "127.0.0.1", 0)
    server.start()
    url = server.url
    server.stop()
    with pytest.raises(OSError):
        Client(url).request("GET", "/")


def test_wildcard_and_foreign_addresses_are_refused(room: ObserverRoom) -> None:
    for host in ("0.0.0.0", "::", "example.org"):
        with pytest.raises(RoomServerError):
            RoomServer(room, host, 0)
    with pytest.raises(RoomServerError, match="cannot listen"):
        RoomServer(room, "192.0.2.1", 0).start()  # not this machine's (TEST-NET-1)


def test_the_page_needs_nothing_from_elsewhere(client: Client) -> None:
    answer = client.request("GET", "/")
    assert answer.status == 200
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy
    page = answer.body["text"]
    assert "http://" not in page and "https://" not in page and "//" + "cdn" not in page
    assert answer.headers["x-frame-options"] == "DENY"


def test_wrong_pins_are_refused_and_then_locked_out(client: Client, room: ObserverRoom) -> None:
    for _ in range(5):
        assert client.join(wrong(room.pin)).status == 403
    locked = client.join(room.pin)
    assert locked.status == 429 and "try again" in locked.body["error"]
    assert room.observer_count == 0


@pytest.mark.parametrize("pin", ["12345", "1234567", "abcdef", "", " 12345"])
def test_malformed_pins_are_refused_without_a_token(client: Client, pin: str) -> None:
    answer = client.post("/api/join", {"pin": pin})
    assert answer.status == 400 and "token" not in answer.body


def test_a_token_is_needed_for_everything_but_the_page_and_joining(
    client: Client, room: ObserverRoom
) -> None:
    room.open_reply(REPLY)
    assert client.request("GET", "/api/state").status == 401
    assert client.post("/api/rate", {"reply": 7, "empathy": 2, "composure": 2}).status == 401
    assert client.state("x" * 32).status == 401
    assert client.state("x" * 500).status == 401


def test_a_token_of_a_closed_room_does_not_work_in_the_next(room: ObserverRoom) -> None:
    first = RoomServer(room, "127.0.0.1", 0)
    first.start()
    client = Client(first.url)
    token = joined(client, room)
    room.close()
    assert client.state(token).status == 410
    first.stop()

    later = ObserverRoom("Friday group")
    second = RoomServer(later, "127.0.0.1", 0)
    second.start()
    try:
        other = Client(second.url)
        later.open_reply(REPLY)
        assert other.state(token).status == 401
        assert (
            other.post("/api/rate", {"reply": 7, "empathy": 4, "composure": 4}, token).status == 401
        )
        assert later.rated_count == 0
    finally:
        second.stop()


def test_a_replayed_rating_counts_once_and_not_after_the_reveal(
    client: Client, room: ObserverRoom
) -> None:
    token = joined(client, room)
    room.open_reply(REPLY)
    rating = {"reply": REPLY.id, "empathy": 3, "composure": 4, "techniques": ["next_step"]}
    for _ in range(3):
        assert client.post("/api/rate", rating, token).status == 200
    assert room.rated_count == 1
    room.reveal()
    assert client.post("/api/rate", {**rating, "empathy": 0}, token).status == 409
    assert room.revealed is not None and room.revealed.empathy.median == 3


def test_a_rating_for_an_earlier_reply_is_refused(client: Client, room: ObserverRoom) -> None:
    token = joined(client, room)
    room.open_reply(REPLY)
    answer = client.post("/api/rate", {"reply": REPLY.id - 1, "empathy": 3, "composure": 3}, token)
    assert answer.status == 409 and room.rated_count == 0


def test_requests_from_other_sites_are_refused(client: Client, room: ObserverRoom) -> None:
    token = joined(client, room)
    room.open_reply(REPLY)
    rating = {"reply": REPLY.id, "empathy": 4, "composure": 4}
    assert client.post("/api/rate", rating, token, Origin="http://evil.example").status == 403
    assert client.post("/api/join", {"pin": room.pin}, Origin="null").status == 403
    assert client.post("/api/rate", rating, token, Sec_Fetch_Site="cross-site").status == 403
    # A form post from another page cannot say it is JSON.
    form = client.request(
        "POST",
        "/api/rate",
        b"reply=7&empathy=4&composure=4",
        {"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Bearer {token}"},
    )
    assert form.status == 415
    # A hostile name that resolves to this address (DNS rebinding) is not this page's host.
    rebound = client.request(
        "GET", "/api/state", headers={"Host": "evil.example", "Authorization": f"Bearer {token}"}
    )
    assert rebound.status == 421
    assert room.rated_count == 0


def test_oversized_and_malformed_posts_are_refused(client: Client, room: ObserverRoom) -> None:
    token = joined(client, room)
    room.open_reply(REPLY)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    big = json.dumps({"reply": 7, "empathy": 2, "composure": 2, "techniques": ["x" * 5000]})
    assert client.request("POST", "/api/rate", big.encode(), headers).status == 413
    for body in (b"{", b"[]", b"\xff\xfe", b"null", b'{"reply": 7, "empathy": 2}'):
        assert client.request("POST", "/api/rate", body, headers).status == 400
    for payload in (
        {"reply": 7, "empathy": 9, "composure": 2},
        {"reply": 7, "empathy": 2.5, "composure": 2},
        {"reply": 7, "empathy": "4", "composure": 2},
        {"reply": 7, "empathy": 2, "composure": 2, "techniques": "next_step"},
        {"reply": 7, "empathy": 2, "composure": 2, "techniques": ["made_up"]},
        {"reply": 7, "empathy": 2, "composure": 2, "extra": 1},
        {"reply": 10**40, "empathy": 2, "composure": 2},
    ):
        assert client.post("/api/rate", payload, token).status == 400, payload
    assert room.rated_count == 0


def test_observers_see_nothing_beyond_the_projector(client: Client, room: ObserverRoom) -> None:
    token = joined(client, room)
    room.open_reply(REPLY)
    view = client.state(token).body
    assert set(view) == {
        *("version", "room", "observer", "seat", "caption", "reply", "mine"),
        *("rated", "observers", "tally"),
    }
    assert view["tally"] is None and "machine" not in json.dumps(view)
    for path in (
        "/api/history",
        "/api/audio",
        "/recordings/1.flac",
        "/api/rooms",
        "/../skeptic.db",
    ):
        assert (
            client.request("GET", path, headers={"Authorization": f"Bearer {token}"}).status == 404
        )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.binary(max_size=MAX_BODY_BYTES + 200))
def test_no_body_breaks_the_server(client: Client, room: ObserverRoom, body: bytes) -> None:
    headers = {"Content-Type": "application/json", "Origin": client.origin}
    for path in ("/api/join", "/api/rate"):
        answer = client.request("POST", path, body, {**headers, "Authorization": "Bearer abc"})
        assert answer.status in (400, 401, 403, 413), (path, body, answer)
    assert room.observer_count == 0
