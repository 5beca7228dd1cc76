"""`skeptic practice`: the same call as in the window, held in a terminal.

The customer's lines are spoken and printed; replies are spoken (hands-free, transcribed while
spoken, as in the window) or typed. At the typed prompt /hint, /repeat, /retry and /end do what
the window's buttons do; any other "/word" is refused, never sent to the customer. The call
runs through the same `SessionMachine` and `CallExecutor` as the window: every turn is saved
before the customer answers, a locked database keeps the reply waiting, unsure words are
confirmed.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path

from app.calls.executor import CallExecutor
from app.commands.terminal_presenter import COMMANDS_HELP, TerminalPresenter
from app.core.call_events import AnswerMode, EndRequested
from app.core.ports import Hearer, Speaker, Transcriber
from app.core.session import CallSummary
from app.core.session_machine import SessionMachine
from app.errors import one_line
from app.paths import data_dir, database_path
from app.scenario_library import scenario_by_id
from app.storage import SessionStore
from app.storage.call_record import CallRecord
from app.storage.completed_turns import turn_record, voice_baseline

# Each try waits for the database's busy timeout (5 s): a call's end waits up to a minute for
# a database another program holds, rather than being left "in progress".
FINISH_ATTEMPTS = 12


class _BackgroundTranscriber:
    """Loads the recogniser while the customer's first line is said."""

    def __init__(self) -> None:
        self._loaded: tuple[Transcriber, str | None] | None = None
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._load, name="model-loader", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        from app.audio.transcribers import load_transcriber

        try:
            self._loaded = load_transcriber()
        except Exception as error:  # reported when the first reply needs it
            self._error = error

    def get(self) -> Transcriber | None:
        self._thread.join()
        if self._loaded is None:
            print(f"(no speech recogniser: {one_line(self._error or Exception())})")
            return None
        transcriber, warning = self._loaded
        if warning:
            print(f"warning: {warning}")
            self._loaded = (transcriber, None)
        return transcriber


def _open_voice(folder: Path, persona_voice: str) -> tuple[Speaker, list[object]]:
    from app.audio.playback import Playback
    from app.audio.speaker import CaptionsOnly
    from app.audio.voice_setup import open_customer_voice

    try:
        voice = open_customer_voice(folder, Playback(), warm=False)
        voice.speech.start()
        voice.engine_for(persona_voice)  # which engine speaks, said once
        print(f"({' '.join(voice.notices)})")
        return voice, [engine for engine in (voice.speech, voice.neural) if engine is not None]
    except Exception as error:  # no speech engine: the lines are still printed
        print(f"(the customer's voice is unavailable: {one_line(error)}; captions only)")
        return CaptionsOnly(), []


def _open_microphone(transcriber: _BackgroundTranscriber) -> tuple[Hearer | None, list[object]]:
    from app.audio.hearers import MicrophoneHearers

    hearers = MicrophoneHearers()
    try:
        return hearers.hearer(False, None, transcriber.get), [hearers]
    except Exception as error:  # no microphone: the trainee types
        print(f"({one_line(error)}; type your replies)")
        return None, []


def run_practice(args: argparse.Namespace) -> int:
    folder = data_dir(getattr(args, "data_dir", None))
    scenario = scenario_by_id(folder, args.scenario)
    trainee = args.trainee.strip() or getpass.getuser()
    store = SessionStore.open(database_path(folder))
    hearer: Hearer | None = None
    to_close: list[object] = []
    if not args.typed:
        hearer, to_close = _open_microphone(_BackgroundTranscriber())
    speaker, voice_parts = _open_voice(folder, scenario.persona.voice)
    machine = SessionMachine(
        scenario,
        mode=AnswerMode.HANDS_FREE if hearer is not None else AnswerMode.TYPED,
        seed=args.seed,
        voice_baseline=voice_baseline(store, trainee),
    )
    record = CallRecord(store, lambda problem: print(f"({problem})", flush=True))
    presenter = TerminalPresenter(scenario)
    print(f"{scenario.title} ({scenario.difficulty}): {scenario.summary}")
    if hearer is None:
        print(f"Type your replies. Commands: {COMMANDS_HELP}.\n")
    else:
        print('Reply out loud; "/end" at a prompt ends the call.\n')
    try:
        summary = hold_call(machine, record, speaker, hearer, presenter, trainee)
    finally:
        for part in [*voice_parts, *to_close]:
            with contextlib.suppress(Exception):
                part.close()  # type: ignore[attr-defined]
        store.close()
    print(
        f"\nCall ended: {summary.ending.kind.replace('_', ' ')}. {summary.turn_count} replies, "
        f"empathy {summary.empathy}, composure {summary.composure}, trust {summary.final_trust}."
    )
    if summary.practise_next:
        print(f"Practise next: {summary.practise_next}")
    if scenario.trainer_note:  # after the call only: before it, it would give the answer away
        print(f"Trainer's note: {scenario.trainer_note}")
    if record.session_id is None:  # the database refused the call from its start
        kept = keep_unsaved_replies(record, scenario.id, trainee)
        where = f"its {len(record.unsaved_turns)} reply(s) are kept in {kept}" if kept else ""
        print(f"skeptic: the call was not saved; {where or 'it had no replies'}", file=sys.stderr)
        return 2
    return 0


def keep_unsaved_replies(record: CallRecord, scenario_id: str, trainee: str) -> Path | None:
    """The replies a database never took, as JSON in the temporary folder (the data folder is
    the one that refused them), so that none is lost. None when there are none."""
    if not record.unsaved_turns:
        return None
    turns = [asdict(turn_record(turn)) for turn, _samples in record.unsaved_turns]
    text = json.dumps({"scenario": scenario_id, "trainee": trainee, "turns": turns}, indent=2)
    handle, name = tempfile.mkstemp(prefix="skeptic-unsaved-call-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    return Path(name)


def hold_call(
    machine: SessionMachine,
    record: CallRecord,
    speaker: Speaker,
    hearer: Hearer | None,
    presenter: TerminalPresenter,
    trainee: str,
) -> CallSummary:
    """Runs the call to its end in this thread; returns once its end is saved (or, when the
    database stays locked, after FINISH_ATTEMPTS tries, the turns waiting reported)."""
    executor = CallExecutor(machine, record, speaker, hearer, presenter)
    presenter.post = executor.post
    try:
        executor.start(trainee)
    except KeyboardInterrupt:
        executor.post(EndRequested())
    finally:
        executor.stop()
    if machine.active:  # the trainee stopped answering (the input ended mid-reply)
        executor.post(EndRequested())
    summary = machine.session.summary()
    if record.session_id is None:
        return summary  # never started in the database: no waiting can save it
    for _attempt in range(FINISH_ATTEMPTS):
        if record.finish(summary) and record.save_waiting():
            break
        print("(waiting for the database to save the call...)", flush=True)
    return summary
