"""`skeptic score`: evaluate replies without a call, for trainers and for checking the scorer."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.core.evaluation import evaluate
from app.core.evaluation.result import Evaluation
from app.core.evaluation.voice_composure import VOICE_WEIGHTS as VOICE_COMPONENTS
from app.core.voice import VoiceFeatures
from app.errors import UserError


def run_score(args: argparse.Namespace) -> int:
    if args.jsonl:
        if getattr(args, "audio", None):
            raise UserError("--audio scores one reply: use it with --customer and --reply")
        return _score_jsonl(args.jsonl)
    audio = getattr(args, "audio", None)
    if args.customer is None or (args.reply is None and not audio):
        raise UserError("score needs --customer TEXT and --reply TEXT, or --jsonl FILE")
    reply, voice = args.reply, None
    if audio:
        heard, voice = _hear(Path(audio))
        if reply is None and not heard.strip():
            raise UserError(f"no reply was heard in {audio}: it holds no speech")
        reply = heard if reply is None else reply
    if not reply.strip():
        raise UserError("the reply is empty: give the words the trainee said")
    _check_length(reply)
    evaluation = evaluate(args.customer, reply, voice=voice)
    if args.json:
        result = evaluation.to_json()
        if voice is not None:
            result = {**result, "reply": reply, "voice": voice.to_json()}
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(_as_text(evaluation, voice))
    return 0


def _hear(path: Path) -> tuple[str, VoiceFeatures]:
    """The words of a spoken reply (Whisper, offline) and the figures of the voice saying them."""
    from app.audio.audio_file import read_audio_file
    from app.audio.transcribers import WhisperTranscriber
    from app.audio.voice_features import measure_voice

    samples = read_audio_file(path)
    transcript = WhisperTranscriber().transcribe(samples)
    return transcript.text, measure_voice(samples, transcript.words)


def _score_jsonl(source: str) -> int:
    """One output line per input line, in order; a bad line stops with its line number."""
    if source == "-":
        _write_scores(sys.stdin.buffer, source)
        return 0
    path = Path(source)
    if not path.is_file():
        raise UserError(f"{source}: no such file")
    with path.open("rb") as lines:
        _write_scores(lines, source)
    return 0


def _write_scores(lines: BinaryIO, source: str) -> None:
    for number, item in _read_items(lines, source):
        reply = item.get("reply")
        customer = item.get("customer", "")
        if not isinstance(reply, str) or not isinstance(customer, str):
            raise UserError(f'{source}:{number}: "customer" and "reply" must be text')
        if not reply.strip():
            raise UserError(f'{source}:{number}: "reply" is empty: give the words said')
        _check_length(reply, f"{source}:{number}: ")
        line_id = item.get("id", number)
        if isinstance(line_id, bool) or not isinstance(line_id, str | int):
            raise UserError(f'{source}:{number}: "id" must be text or a whole number')
        result = {"id": line_id, **evaluate(customer, reply).to_json()}
        print(json.dumps(result, ensure_ascii=False), flush=True)


def _read_items(lines: BinaryIO, source: str) -> Iterator[tuple[int, dict[str, object]]]:
    # Decoded line by line, so that a bad line is named and the lines before it are scored.
    for number, raw in enumerate(lines, start=1):
        try:
            # A byte-order mark (Windows editors write one) is not part of the first line.
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError:
            raise UserError(f"{source}:{number}: not UTF-8 text") from None
        if not line.strip():
            continue
        try:
            item = json.loads(line, parse_constant=_not_json)
        except json.JSONDecodeError as error:
            raise UserError(f"{source}:{number}: not JSON ({error.msg})") from None
        except RecursionError:
            raise UserError(f"{source}:{number}: nested too deeply to be a reply") from None
        except ValueError as error:  # Python's limit on the digits of an integer
            raise UserError(f"{source}:{number}: not usable JSON ({_first_words(error)})") from None
        if not isinstance(item, dict):
            raise UserError(f'{source}:{number}: expected an object with "customer" and "reply"')
        yield number, item


# A reply longer than this is not one turn of a phone call (an hour of speech is about 60,000
# characters); refused so that a pasted book cannot tie up the scorer.
LONGEST_REPLY = 100_000


def _check_length(reply: str, where: str = "") -> None:
    if len(reply) > LONGEST_REPLY:
        raise UserError(
            f"{where}the reply is {len(reply):,} characters; "
            f"one reply can be at most {LONGEST_REPLY:,}"
        )


def _not_json(constant: str) -> object:
    # Python's json reads NaN and Infinity, which are not JSON and would be written back invalid.
    raise ValueError(f"{constant} is not a JSON value")


def _first_words(error: ValueError) -> str:
    return str(error).splitlines()[0][:120]


def _as_text(evaluation: Evaluation, voice: VoiceFeatures | None = None) -> str:
    lines = [f"Empathy {evaluation.empathy}/100   Composure {evaluation.composure}/100"]
    lines += [f"  + {quote}" for quote in evaluation.evidence]
    if evaluation.strength:
        lines.append(f"  strength: {evaluation.strength}")
    lines += [f"  tip: {tip}" for tip in evaluation.tips]
    if voice is not None:
        lines.append("  voice:")
        lines += [
            f"    {part.name}: {part.score}/100 - {'; '.join(part.evidence)}"
            for part in evaluation.composure_components
            if part.name in VOICE_COMPONENTS
        ]
    return "\n".join(lines)
