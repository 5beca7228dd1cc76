"""The room's 6-digit PIN, the observers' tokens, and a limit on guessing the PIN."""

from __future__ import annotations

import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

PIN_DIGITS = 6
# Wrong guesses allowed from one address, and from all addresses together, per window. With a
# million PINs and at most 30 wrong guesses a minute in all, guessing takes weeks on average.
GUESSES_PER_ADDRESS = 5
GUESSES_IN_ALL = 30
GUESS_WINDOW_SECONDS = 60.0


def new_pin() -> str:
    """Six random digits, leading zeros allowed."""
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


def new_token() -> str:
    """An observer's token: 192 random bits, safe in a URL or a header."""
    return secrets.token_urlsafe(24)


def same_secret(given: str, expected: str) -> bool:
    """Compares in constant time, so the answer's timing gives nothing away."""
    return secrets.compare_digest(given.encode(), expected.encode())


@dataclass
class GuessLimiter:
    """Counts wrong PIN guesses per address and in all within a sliding window."""

    per_address: int = GUESSES_PER_ADDRESS
    in_all: int = GUESSES_IN_ALL
    window: float = GUESS_WINDOW_SECONDS
    clock: Callable[[], float] = time.monotonic
    _by_address: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _all: deque[float] = field(default_factory=deque)

    def blocked(self, address: str) -> float:
        """Seconds until this address may guess again (0.0: it may now)."""
        now = self.clock()
        self._forget(now)
        waits = []
        mine = self._by_address.get(address)
        if mine is not None and len(mine) >= self.per_address:
            waits.append(mine[0] + self.window - now)
        if len(self._all) >= self.in_all:
            waits.append(self._all[0] + self.window - now)
        return max([0.0, *waits])

    def wrong_guess(self, address: str) -> None:
        now = self.clock()
        self._by_address[address].append(now)
        self._all.append(now)

    def _forget(self, now: float) -> None:
        cutoff = now - self.window
        while self._all and self._all[0] <= cutoff:
            self._all.popleft()
        for address in list(self._by_address):
            times = self._by_address[address]
            while times and times[0] <= cutoff:
                times.popleft()
            if not times:
                del self._by_address[address]
