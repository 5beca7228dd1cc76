"""The engines the window drives, gathered so that tests can hand in doubles.

The composition root (run.py) builds the real ones; tests build their own `Backends`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.core.ports import Listener, Speaker, Transcriber

# Returns the transcriber and, when it is only the fallback, a warning for the user.
TranscriberLoader = Callable[[], tuple[Transcriber, str | None]]
# Builds a listener for "hands-free" or "push-to-talk"; raises when there is no microphone.
ListenerFactory = Callable[[str], Listener]


@dataclass
class Backends:
    speaker: Speaker
    make_listener: ListenerFactory
    load_transcriber: TranscriberLoader
    close_actions: list[Callable[[], None]] = field(default_factory=list)

    def close(self) -> None:
        for action in self.close_actions:
            action()
