"""`skeptic bench-room`: the room's server under 40 observers rating 50 replies, on 127.0.0.1."""

from __future__ import annotations

import argparse
import json
import os
import platform

from app.bench.room_load import run_load


def run_bench_room(args: argparse.Namespace) -> int:
    result = run_load("127.0.0.1", args.observers, args.replies)
    if args.json:
        print(json.dumps(result.to_json()))
        return 0 if result.lost == 0 else 1
    print(
        f"{result.observers} observers x {result.replies} replies on 127.0.0.1 "
        f"({os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()})"
    )
    print(
        f"ratings sent {result.ratings_sent}, kept {result.ratings_kept}, lost {result.lost}; "
        f"{result.seconds:.1f} s"
    )
    print(
        f"rating round trip: p50 {result.p50_ms:.1f} ms, p95 {result.p95_ms:.1f} ms, "
        f"max {result.max_ms:.1f} ms"
    )
    return 0 if result.lost == 0 else 1
