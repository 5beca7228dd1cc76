"""Property: whatever three workstations do (calls, profile edits, deletions, merges, bundles
passed around in any order, syncs), once everything has been exchanged every copy and the
central store hold the same history."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.storage import SessionStore
from app.sync.bundle import export_bundle, import_bundle
from app.sync.central.push import sync
from app.sync.trainee_merge import merge_trainees, name_clashes
from tests.sync.conftest import LOGINS, Central, local_fingerprint, practise, workstation

NAMES = ("Ana", "Ben", "Cy")
STATIONS = range(3)

steps = st.one_of(
    st.tuples(st.just("practise"), st.sampled_from(STATIONS), st.sampled_from(NAMES)),
    st.tuples(st.just("profile"), st.sampled_from(STATIONS), st.sampled_from(NAMES),
              st.sampled_from(("Leeds", "York", ""))),
    st.tuples(st.just("delete"), st.sampled_from(STATIONS), st.sampled_from(NAMES)),
    st.tuples(st.just("merge"), st.sampled_from(STATIONS)),
    st.tuples(st.just("bundle"), st.sampled_from(STATIONS), st.sampled_from(STATIONS),
              st.booleans()),
    st.tuples(st.just("sync"), st.sampled_from(STATIONS)),
)  # fmt: skip


def _reset(central: Central) -> None:
    with central.connect() as admin:
        admin.execute(
            "TRUNCATE skeptic.changes, skeptic.trainees, skeptic.calls, skeptic.turns, "
            "skeptic.tombstones, skeptic.workstations, skeptic.scenarios"
        )


def _run(step: tuple[object, ...], stores: list[SessionStore], bundles: list[Path],
         folder: Path, central: Central) -> None:  # fmt: skip
    action, station = step[0], int(step[1])  # type: ignore[call-overload]
    store = stores[station]
    names = {t.name for t in store.trainees()}
    if action == "practise":
        practise(store, str(step[2]), turns=2)
    elif action == "profile":
        store.save_trainee(str(step[2]), branch=str(step[3]) or None)
    elif action == "delete" and step[2] in names:
        store.delete_trainee(str(step[2]))
    elif action == "merge":
        for clash in name_clashes(store.db)[:1]:
            if clash.shared_name in names:
                merge_trainees(store.db, clash.name, clash.shared_name)
    elif action == "bundle":
        # Either a fresh bundle from one station to another, or an old bundle imported late.
        target = stores[int(step[2])]  # type: ignore[call-overload]
        if step[3] or not bundles:
            bundle = folder / f"bundle-{len(bundles)}.skeptic"
            export_bundle(store.db, bundle)
            bundles.append(bundle)
        else:
            bundle = bundles[0]
        import_bundle(target.db, bundle)
    elif action == "sync":
        sync(store.db, central.url(LOGINS[station]), batch_size=3)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=st.lists(steps, min_size=1, max_size=16))
# Histories that random ones reach only now and then: a record edited after it travelled, on
# both sides; a merge that travels to a station that never saw the trainee kept; a deletion
# racing a bundle that still holds the trainee.
@example(
    history=[
        ("practise", 0, "Ana"),
        ("bundle", 0, 1, True),
        ("profile", 1, "Ana", "York"),
        ("profile", 0, "Ana", "Leeds"),
        ("sync", 1),
    ]
)
@example(
    history=[
        ("practise", 0, "Ana"),
        ("practise", 1, "Ana"),
        ("bundle", 0, 1, True),
        ("merge", 1),
        ("bundle", 1, 2, True),
        ("sync", 2),
        ("practise", 0, "Ana"),
    ]
)
@example(
    history=[
        ("practise", 0, "Ben"),
        ("bundle", 0, 1, True),
        ("delete", 0, "Ben"),
        ("sync", 0),
        ("bundle", 1, 2, False),
        ("sync", 2),
    ]
)
def test_every_copy_converges(central: Central, history: list[tuple[object, ...]]) -> None:
    _reset(central)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        stores = [workstation(folder / f"station-{n}") for n in STATIONS]
        try:
            bundles: list[Path] = []
            for step in history:
                _run(step, stores, bundles, folder, central)

            # Everything exchanged: each syncs, and every station's bundle reaches every other.
            for round_number in range(2):
                for station, store in enumerate(stores):
                    sync(store.db, central.url(LOGINS[station]))
                for source in stores:
                    bundle = folder / f"final-{round_number}-{id(source)}.skeptic"
                    export_bundle(source.db, bundle)
                    for target in stores:
                        if target is not source:
                            import_bundle(target.db, bundle)
            for station, store in enumerate(stores):
                sync(store.db, central.url(LOGINS[station]))

            expected = central.fingerprint()
            assert [local_fingerprint(store) for store in stores] == [expected] * 3
        finally:
            for store in stores:
                store.close()
