"""Fuzzing the bundle reader: whatever the bytes, an import merges a valid bundle whole or refuses
in one line, and a refused file changes nothing."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.storage import SessionStore
from app.sync.bundle import export_bundle, import_bundle
from app.sync.errors import SyncError
from app.sync.validation import checked
from tests.sync.conftest import local_fingerprint, practise, workstation

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


@pytest.fixture(scope="module")
def good_bundle(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("source")
    with workstation(folder) as source:
        practise(source, "Ana", calls=2)
        practise(source, "Ben")
        source.delete_trainee("Ben")
        export_bundle(source.db, folder / "good.skeptic")
    return (folder / "good.skeptic").read_bytes()


@pytest.fixture
def target(tmp_path: Path) -> SessionStore:
    store = workstation(tmp_path / "target")
    practise(store, "Cy")
    return store


def _import_or_refuse(store: SessionStore, data: bytes, path: Path) -> None:
    path.write_bytes(data)
    before = local_fingerprint(store)
    try:
        import_bundle(store.db, path)
    except SyncError as error:
        assert "\n" not in str(error)
        assert local_fingerprint(store) == before


@FUZZ
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(1, 255)), max_size=4),
       cut=st.none() | st.integers(min_value=0))  # fmt: skip
def test_damaged_bytes_are_merged_whole_or_refused_in_one_line(
    good_bundle: bytes,
    target: SessionStore,
    tmp_path: Path,
    flips: list[tuple[int, int]],
    cut: int | None,
) -> None:
    data = bytearray(good_bundle)
    for position, change in flips:
        data[position % len(data)] ^= change
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    _import_or_refuse(target, bytes(data), tmp_path / "fuzzed.skeptic")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


@FUZZ
@given(field=st.sampled_from(["uuid", "name", "created_at", "records_replies", "team", "extra"]),
       value=json_values)  # fmt: skip
def test_records_with_matching_checksums_but_bad_fields_are_refused(
    good_bundle: bytes, target: SessionStore, tmp_path: Path, field: str, value: object
) -> None:
    """A bundle rewritten with a consistent manifest (as someone editing it would) and one
    field of a trainee changed to anything at all."""
    source = zipfile.ZipFile(io.BytesIO(good_bundle))
    manifest = json.loads(source.read("manifest.json"))
    first, *rest = source.read("trainees.jsonl").decode().splitlines()
    trainee = json.loads(first)
    trainee[field] = value
    trainees = ("\n".join([json.dumps(trainee), *rest]) + "\n").encode()
    manifest["sha256"]["trainees.jsonl"] = hashlib.sha256(trainees).hexdigest()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as rewritten:
        for name in source.namelist():
            body = source.read(name)
            if name == "trainees.jsonl":
                body = trainees
            elif name == "manifest.json":
                body = json.dumps(manifest).encode()
            rewritten.writestr(name, body)
    _import_or_refuse(target, out.getvalue(), tmp_path / "edited.skeptic")


@FUZZ
@given(kind=st.sampled_from(["trainee", "call", "turn", "tombstone"]), raw=json_values)
def test_any_json_is_a_record_or_one_line(kind: str, raw: object) -> None:
    try:
        checked(kind, raw, "fuzzed")
    except SyncError as error:
        assert "\n" not in str(error)
