"""`skeptic transcribe FILE`: offline transcription of a recording, with word timings."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.audio.audio_file import read_audio_file
from app.audio.transcribers import SphinxTranscriber, WhisperTranscriber
from app.core.ports import Transcriber


def run_transcribe(args: argparse.Namespace) -> int:
    samples = read_audio_file(Path(args.file))
    transcriber: Transcriber = (
        WhisperTranscriber() if args.engine == "whisper" else SphinxTranscriber()
    )
    transcript = transcriber.transcribe(samples)
    if args.json:
        print(
            json.dumps(
                {
                    "text": transcript.text,
                    "engine": transcript.engine,
                    "confidence": round(transcript.confidence, 3),
                    "audio_seconds": round(transcript.audio_seconds, 3),
                    "seconds_taken": round(transcript.seconds_taken, 3),
                    "words": [
                        {
                            "word": w.text,
                            "start": round(w.start, 3),
                            "end": round(w.end, 3),
                            "probability": round(w.probability, 3),
                        }
                        for w in transcript.words
                    ],
                },
                ensure_ascii=False,
            )
        )
    else:
        print(transcript.text or "(no speech heard)")
        print(
            f"({transcript.engine}, {transcript.audio_seconds:.1f} s of audio "
            f"in {transcript.seconds_taken:.2f} s)"
        )
    return 0
