"""Reading a recorded reply from disk (wav, flac, mp3, ogg ...) as 16 kHz mono samples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from faster_whisper import decode_audio

from app.core.ports import SAMPLE_RATE, Samples


class AudioFileError(Exception):
    """A file that cannot be used as a recorded reply; the message is one line for the user."""


def read_audio_file(path: Path) -> Samples:
    """The file's audio mixed down to mono and resampled to 16 kHz, as float32 in [-1, 1]."""
    if not path.exists():
        raise AudioFileError(f"Audio file not found: {path}")
    if not path.is_file():
        raise AudioFileError(f"Not a file: {path}")
    if path.stat().st_size == 0:
        raise AudioFileError(f"Audio file is empty: {path}")
    try:
        samples = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
    # PyAV raises its own error types, and IndexError when a file has no audio stream.
    except Exception as error:
        if isinstance(error, IndexError):
            reason = "it holds no audio track"
        else:
            reason = (getattr(error, "strerror", None) or str(error)).strip() or type(
                error
            ).__name__
            reason = reason.splitlines()[0]
        raise AudioFileError(f"Not a readable audio file: {path} ({reason})") from error
    if len(samples) == 0:
        raise AudioFileError(f"Audio file contains no sound: {path}")
    return np.asarray(samples, dtype=np.float32)
