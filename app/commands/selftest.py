"""`skeptic selftest`: one scripted call through every real part, one PASS/FAIL line per stage.

The customer's lines go through the real speech process; the trainee's replies are synthesised
with another espeak-ng voice, replayed through the same listener code the microphone uses,
transcribed by the real recogniser, scored, and saved in a temporary database.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile

from app.audio.audio_file import read_audio_file
from app.audio.microphone import MicrophoneListener
from app.audio.reply import HeardReply, hear_reply
from app.audio.speech_process import SpeechProcess
from app.audio.transcribers import load_transcriber
from app.core.ports import Transcriber
from app.core.scenario import find_scenario, load_scenarios
from app.core.session import PracticeSession
from app.core.voice_preset import load_voice_preset
from app.core.wer import word_error_rate
from app.errors import one_line
from app.paths import SHIPPED_SCENARIOS_DIR, database_path
from app.storage import SessionStore
from app.storage.completed_turns import turn_record

SCENARIO_ID = "unrecognised-charge"
TRAINEE_VOICE = "middle-aged-man"
SCRIPTED_REPLIES = (
    "I can hear how worrying this is, and you are right to be careful. I will block the card "
    "now so no more money can be taken.",
    "You do not need to give me your card number or PIN. You can hang up and call the number "
    "on the back of your card to check this call is genuine.",
    "We will treat this charge as fraud and refund it. I will raise the dispute now and you "
    "will get a text to confirm it within the hour.",
    "Your new card will arrive in three to five days, and I will call you back tomorrow by five "
    "to confirm the refund. Does that sound all right?",
)
MAX_WORD_ERROR_RATE = 0.2


class StageFailed(Exception):
    pass


def _stage(name: str, check: Callable[[], str]) -> bool:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as error:
        print(f"FAIL  {name}: {one_line(error)}", flush=True)
        return False
    print(f"PASS  {name} ({time.perf_counter() - started:.2f} s) {detail}", flush=True)
    return True


def run_selftest(_args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="skeptic-selftest-") as folder:
        return 0 if _run(Path(folder)) else 1


def _run(folder: Path) -> bool:
    state: dict[str, object] = {}
    speech = SpeechProcess()

    def scenario() -> str:
        scenarios, _errors = load_scenarios([SHIPPED_SCENARIOS_DIR])
        state["scenario"] = found = find_scenario(scenarios, SCENARIO_ID)
        return f"'{found.title}'"

    def customer_voice() -> str:
        found = state["scenario"]
        session = PracticeSession(found, seed=1)  # type: ignore[arg-type]
        line = session.opening()
        preset = load_voice_preset(session.scenario.persona.voice)
        samples, rate = speech.synthesise(line.text, preset, line.mood)
        if float(np.abs(samples).max(initial=0.0)) < 0.01:
            raise StageFailed("the customer's voice came out silent")
        state["session"] = session
        return f"{len(samples) / rate:.1f} s of speech for {len(line.text.split())} words"

    def recogniser() -> str:
        transcriber, warning = load_transcriber()
        if warning:
            raise StageFailed(warning)
        state["transcriber"] = transcriber
        return f"{transcriber.name} loaded"

    def conversation() -> str:
        session: PracticeSession = state["session"]  # type: ignore[assignment]
        transcriber: Transcriber = state["transcriber"]  # type: ignore[assignment]
        store = SessionStore.open(database_path(folder))
        session_id = store.start_session(
            "selftest", session.scenario.id, session.scenario.title, "standard", session.trust
        )
        worst = 0.0
        for reply in SCRIPTED_REPLIES:
            if session.finished:
                break
            heard = _spoken_reply(speech, transcriber, reply, folder)
            worst = max(worst, word_error_rate(reply, heard.transcript.text))
            if worst > MAX_WORD_ERROR_RATE:
                raise StageFailed(f"heard {heard.transcript.text!r} for {reply!r}")
            turn = session.submit(heard.transcript, heard.voice, heard.timings)
            if not turn.evaluation.evidence or not turn.evaluation.tips:
                raise StageFailed(f"reply {turn.number} was scored without evidence or tips")
            store.save_turn(session_id, turn_record(turn))
        summary = session.summary()
        store.finish_session(session_id, summary.ending.kind, summary.final_trust)
        store.close()
        state["turns"] = summary.turn_count
        return (
            f"{summary.turn_count} replies heard (worst word error rate {worst:.0%}), "
            f"empathy {summary.empathy}, composure {summary.composure}, trust {summary.final_trust}"
        )

    def storage() -> str:
        store = SessionStore.open(database_path(folder))
        try:
            saved = sum(len(store.turns(s.id)) for s in store.sessions())
        finally:
            store.close()
        if saved != state["turns"]:
            raise StageFailed(f"{saved} turns in the database, {state['turns']} expected")
        return f"{saved} turns read back from a fresh connection"

    try:
        return all(
            _stage(name, check)
            for name, check in (
                ("scenario", scenario),
                ("customer voice", customer_voice),
                ("speech recogniser", recogniser),
                ("conversation", conversation),
                ("storage", storage),
            )
        )
    finally:
        speech.close()


def _spoken_reply(
    speech: SpeechProcess, transcriber: Transcriber, text: str, folder: Path
) -> HeardReply:
    """The reply said aloud by a synthetic trainee and heard through the listener code."""
    samples, rate = speech.synthesise(text, load_voice_preset(TRAINEE_VOICE), "calm")
    wav = folder / "reply.wav"
    soundfile.write(wav, samples, rate)
    listener = MicrophoneListener.from_samples(read_audio_file(wav))
    return hear_reply(listener, transcriber)
