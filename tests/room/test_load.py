"""40 simulated observers rate 50 replies at once against the real server on 127.0.0.1: no
rating is lost. (The round-trip figures are measured by `skeptic bench-room`, in
docs/performance.md, not asserted here.)"""

from __future__ import annotations

import pytest

from app.bench.room_load import percentile, run_load


def test_forty_observers_rate_fifty_replies_and_no_rating_is_lost() -> None:
    result = run_load("127.0.0.1", observers=40, replies=50)
    assert result.ratings_sent == 2000
    assert result.ratings_kept == 2000
    assert result.lost == 0
    assert len(result.round_trips_ms) == 2000


@pytest.mark.parametrize("host", ["192.168.1.10", "10.0.0.1", "8.8.8.8"])
def test_the_load_test_runs_only_on_the_loopback_address(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        run_load(host)


def test_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 95) == 95.0
    assert percentile([5.0], 95) == 5.0
