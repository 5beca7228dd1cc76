"""Checking records that come from outside (a bundle) before any of them is merged.

A bundle may be damaged, edited or made by something else: every field is checked for type and
range here, so the merge can trust what it is given.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, ValidationError

from app.storage.migrations import ENDINGS, RECOGNISERS
from app.sync.errors import SyncError
from app.sync.records import Record


def _uuid(value: str) -> str:
    if str(uuid_module.UUID(value)) != value:
        raise ValueError("not a lower-case UUID")
    return value


def _time(value: str) -> str:
    if value:  # "" marks a placeholder revision, older than any real one
        moment = datetime.fromisoformat(value)
        if moment.utcoffset() is None:
            raise ValueError("a time without a time zone")
    return value


Uuid = Annotated[str, AfterValidator(_uuid)]
Time = Annotated[str, Field(max_length=40), AfterValidator(_time)]
Text = Annotated[str, Field(max_length=100_000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Score = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Seconds = Annotated[float, Field(ge=0, le=86_400, allow_inf_nan=False)]
Trust = Annotated[int, Field(ge=0, le=100)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class TraineeIn(_Strict):
    uuid: Uuid
    workstation_id: Uuid
    name: Name
    team: Annotated[str, Field(max_length=200)] | None
    branch: Annotated[str, Field(max_length=200)] | None
    records_replies: StrictBool
    records_replies_since: Time | None
    created_at: Time
    revised_at: Time


class CallIn(_Strict):
    uuid: Uuid
    workstation_id: Uuid
    trainee_uuid: Uuid
    scenario_id: Name
    scenario_title: Name
    difficulty: Literal["easy", "standard", "hard"]
    started_at: Time
    ended_at: Time | None
    ending: Literal[ENDINGS] | None  # type: ignore[valid-type]
    starting_trust: Trust
    final_trust: Trust | None
    empathy: Score | None
    composure: Score | None
    turn_count: Annotated[int, Field(ge=0, le=10_000)]
    components: dict[Annotated[str, Field(max_length=100)], Score | None]
    words_per_minute: Annotated[float, Field(ge=0, le=2_000)] | None
    revised_at: Time


class TurnIn(_Strict):
    uuid: Uuid
    workstation_id: Uuid
    call_uuid: Uuid
    trainee_uuid: Uuid
    number: Annotated[int, Field(ge=1, le=10_000)]
    attempt: Annotated[int, Field(ge=1, le=100)]
    superseded: StrictBool
    customer_line: Text
    customer_mood: Name
    transcript: Text
    transcript_heard: Text | None
    recogniser: Literal[RECOGNISERS]  # type: ignore[valid-type]
    confidence: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
    empathy: Annotated[int, Field(ge=0, le=100)]
    composure: Annotated[int, Field(ge=0, le=100)]
    evidence: list[Text]
    tips: list[Text]
    components: dict[Annotated[str, Field(max_length=100)], dict[str, Any]]
    signals: list[Text]
    concerns_addressed: list[Text]
    trust_before: Trust
    trust_after: Trust
    reaction: Text
    audio_seconds: Seconds
    listen_seconds: Seconds
    transcribe_seconds: Seconds
    score_seconds: Seconds
    response_gap_ms: Annotated[float, Field(ge=0, le=86_400_000, allow_inf_nan=False)] | None
    started_at: Time | None
    ended_at: Time | None
    words_per_minute: Annotated[float, Field(ge=0, le=2_000)] | None
    voice: dict[Annotated[str, Field(max_length=100)], float | int | None] | None
    revised_at: Time
    recording: Annotated[str, Field(pattern=r"^recordings/[0-9a-f-]{36}\.flac$")] | None = None


class TombstoneIn(_Strict):
    uuid: Uuid
    replaced_by: Uuid | None
    deleted_at: Time
    workstation_id: Uuid


MODELS: dict[str, type[_Strict]] = {
    "trainee": TraineeIn,
    "call": CallIn,
    "turn": TurnIn,
    "tombstone": TombstoneIn,
}


def checked(kind: str, raw: object, where: str) -> Record:
    """The record as sent, if every field is valid; SyncError naming the first bad field.

    Validated strictly (no text taken for a number), and the values are kept exactly as sent
    (an int stays an int), so checksums match the sender's.
    """
    try:
        MODELS[kind].model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "record"
        raise SyncError(f"{where}: {field}: {first['msg']}") from None
    assert isinstance(raw, dict)
    return dict(raw)
