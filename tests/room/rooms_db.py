"""A training room held in a database: three trainees, observers' ratings and a facilitator's
change, as the window or `room serve` would leave it."""

from __future__ import annotations

from app.storage import SessionStore
from app.storage.rooms import Member, ObserverRating, RoomRecords
from tests.storage.helpers import make_turn

# (trainee, machine empathy, machine composure, observers' (empathy, composure))
REPLIES = (
    ("Ana", 85, 90, [(4, 4), (3, 4), (4, 3)]),
    ("Ana", 70, 80, [(3, 3), (3, 4), (2, 3)]),
    ("Ben", 30, 60, [(1, 2), (1, 3), (2, 2)]),
    ("Ben", 45, 40, [(2, 1), (2, 2), (1, 1)]),
    ("Cleo", 60, 85, [(2, 3), (3, 3), (3, 4)]),
    ("Cleo", 20, 30, [(0, 1), (1, 1), (0, 0)]),
)
COMPONENTS = {
    "acknowledges_feeling": {"score": 80, "evidence": []},
    "next_step": {"score": 20, "evidence": []},
    "calm_wording": {"score": 90, "evidence": []},
}


def hold_room(store: SessionStore, name: str = "Thursday group") -> tuple[int, list[int]]:
    """The room's id and its turns' ids in order."""
    rooms = RoomRecords(store.db)
    members = [Member("Ana", True, "Ace"), Member("Ben", True), Member("Cleo", False)]
    room_id = rooms.open_room(name, members, replies_per_seat=2)
    turn_ids: list[int] = []
    calls: dict[str, int] = {}
    for trainee, empathy, composure, rated in REPLIES:
        if trainee not in calls:
            calls[trainee] = store.start_session(
                trainee, "unrecognised-charge", "Charge", "standard", 30
            )
            rooms.add_call(room_id, calls[trainee])
        number = sum(1 for r in REPLIES[: len(turn_ids)] if r[0] == trainee) + 1
        turn_id = store.save_turn(
            calls[trainee],
            make_turn(number, empathy=empathy, composure=composure, components=COMPONENTS),
        )
        rooms.save_ratings(
            room_id,
            turn_id,
            [ObserverRating(i + 1, e, c, ("next_step",)) for i, (e, c) in enumerate(rated)],
        )
        turn_ids.append(turn_id)
    for session_id in calls.values():
        store.finish_session(session_id, "ended_early", 40)
    rooms.override(turn_ids[2], 2, 2, "Ben owned the mistake before explaining", room_id)
    rooms.close_room(room_id)
    return room_id, turn_ids
