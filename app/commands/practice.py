"""`skeptic practice`: the same call as in the window, held in a terminal.

The customer's lines are spoken and printed; replies are spoken (hands-free) or typed. Typing
"/end" ends the call early. Every turn is saved before the customer answers.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import threading
from pathlib import Path

from app.audio.reply import HeardReply, hear_reply
from app.core.dialogue import CustomerLine
from app.core.ports import Listener, Speaker, Transcriber
from app.core.session import CompletedTurn, PracticeSession
from app.errors import one_line
from app.paths import data_dir, database_path
from app.scenario_library import scenario_by_id
from app.storage import SessionStore
from app.storage.completed_turns import turn_record, voice_baseline


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
        except Exception as error:
            self._error = error

    def get(self) -> Transcriber:
        self._thread.join()
        if self._loaded is None:
            raise RuntimeError(f"no speech recogniser: {one_line(self._error or Exception())}")
        transcriber, warning = self._loaded
        if warning:
            print(f"warning: {warning}")
            self._loaded = (transcriber, None)
        return transcriber


def _open_voice(folder: Path, persona_voice: str) -> Speaker | None:
    from app.audio.playback import Playback
    from app.audio.voice_setup import open_customer_voice

    try:
        voice = open_customer_voice(folder, Playback(), warm=False)
        voice.speech.start()
        voice.engine_for(persona_voice)
        print(f"({' '.join(voice.notices)})")
        return voice
    except Exception as error:
        print(f"(the customer's voice is unavailable: {one_line(error)}; captions only)")
        return None


def _open_microphone() -> Listener | None:
    from app.audio.microphone import MicrophoneListener

    try:
        listener = MicrophoneListener()
        listener.calibrate()
        return listener
    except Exception as error:
        print(f"({one_line(error)}; type your replies)")
        return None


def run_practice(args: argparse.Namespace) -> int:
    folder = data_dir(getattr(args, "data_dir", None))
    scenario = scenario_by_id(folder, args.scenario)
    trainee = args.trainee.strip() or getpass.getuser()
    store = SessionStore.open(database_path(folder))
    transcriber = None if args.typed else _BackgroundTranscriber()
    listener = None if args.typed else _open_microphone()
    speaker = _open_voice(folder, scenario.persona.voice)

    session = PracticeSession(
        scenario, seed=args.seed, voice_baseline=voice_baseline(store, trainee)
    )
    session_id = store.start_session(
        trainee, scenario.id, scenario.title, scenario.difficulty, session.trust
    )
    print(f"{scenario.title} ({scenario.difficulty}): {scenario.summary}")
    print('Reply out loud, or type; "/end" ends the call.\n')
    line: CustomerLine | None = session.opening()
    try:
        while line is not None:
            _say(speaker, scenario.persona.name, scenario.persona.voice, line)
            if session.finished:
                break
            reply = _get_reply(listener, transcriber)
            if reply is None:
                session.end_early()
                break
            if reply.is_empty:
                print("(I didn't catch that: say it again, or type it.)")
                continue
            turn = session.submit(reply.transcript, reply.voice, reply.timings)
            store.save_turn(session_id, turn_record(turn))
            _print_feedback(turn)
            line = turn.outcome.next_line
            if turn.outcome.ending and turn.outcome.ending.line:
                line = CustomerLine(turn.outcome.ending.line, "calm", "ending")
    except (KeyboardInterrupt, EOFError):
        if not session.finished:
            session.end_early()
    finally:
        summary = session.summary()
        store.finish_session(session_id, summary.ending.kind, summary.final_trust)
        store.close()
        if speaker is not None:
            speaker.stop()
    print(
        f"\nCall ended: {summary.ending.kind.replace('_', ' ')}. {summary.turn_count} replies, "
        f"empathy {summary.empathy}, composure {summary.composure}, trust {summary.final_trust}."
    )
    if summary.practise_next:
        print(f"Practise next: {summary.practise_next}")
    return 0


def _get_reply(
    listener: Listener | None, transcriber: _BackgroundTranscriber | None
) -> HeardReply | None:
    """A spoken reply, or a typed one when there is no microphone. None ends the call."""
    if listener is None or transcriber is None:
        typed = input("You: ").strip()
        if not sys.stdin.isatty():
            print()  # replies piped in are not echoed: end the prompt's line

        return None if typed == "/end" else HeardReply.typed(typed)
    print("(listening...)")
    heard = hear_reply(listener, transcriber.get())
    if not heard.is_empty:
        uncertain = "  [the recogniser was unsure]" if heard.transcript.is_uncertain else ""
        print(f"You: {heard.transcript.text}{uncertain}")
    return heard


def _say(speaker: Speaker | None, name: str, voice: str, line: CustomerLine) -> None:
    print(f"{name} ({line.mood}): {line.text}")
    if speaker is not None:
        try:
            speaker.say(line.text, voice, line.mood)
        except Exception as error:
            print(f"(voice failed: {one_line(error)})")


def _print_feedback(turn: CompletedTurn) -> None:
    evaluation = turn.evaluation
    print(
        f"   empathy {evaluation.empathy}  composure {evaluation.composure}  "
        f"trust {turn.outcome.trust_before} -> {turn.outcome.trust_after}"
    )
    for quote in evaluation.evidence[:2]:
        print(f"   + {quote}")
    if evaluation.tips:
        print(f"   tip: {evaluation.tips[0]}")
    print()
