"""The training room: observers on the room's network rate each reply from their phones.

No Qt here: the window (app/gui/room_*) and `skeptic room serve` drive the same room.
"""
