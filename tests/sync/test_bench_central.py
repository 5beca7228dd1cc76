"""`skeptic bench-central` on a small organisation: it fills the store and reports figures."""

from __future__ import annotations

from app.sync.central.bench import run_central_bench
from tests.e2e.test_cli import run_cli
from tests.sync.conftest import Central


def test_the_bench_fills_the_store_and_times_the_queries(central: Central) -> None:
    result = run_central_bench(central.admin, workstations=3, calls=4, turns=3, repeats=2)
    assert (result.workstations, result.calls, result.turns) == (3, 12, 36)
    assert central.counts() == {"trainee": 15, "call": 12, "turn": 36, "tombstone": 0}
    assert result.turns_per_second > 0
    assert set(result.query_ms) == {
        "progress by branch", "progress by team", "one branch's trainees"
    }  # fmt: skip
    assert all(ms > 0 for ms in result.query_ms.values())


def test_the_bench_command_prints_its_figures(central: Central) -> None:
    done = run_cli("bench-central", "--central", central.admin, "--workstations", "2",
                   "--calls", "2", "--turns", "2")  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("2 workstations, 4 calls, 8 turns sent in ")
    assert "turns/s" in lines[0]
    assert lines[1].startswith("progress by branch: ") and lines[1].endswith("ms (median)")
