"""Audio files of the trainee's spoken replies, kept beside the database.

A reply is stored as `recordings/<trainee id>/<session id>/<turn number>.flac` under the data
folder (a second attempt at the same turn as `<turn number>-2.flac`), and the turn's row holds
that path relative to the data folder, so the whole folder can be moved or backed up as one.
The trainee's id rather than their name names the folder: names may hold characters a file
system refuses, and two spellings of one name ("Ana", "ana") are one trainee.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath

import numpy as np

from app.core.ports import SAMPLE_RATE, Samples

RECORDINGS_FOLDER = "recordings"


def recording_location(trainee_id: int, session_id: int, number: int, attempt: int) -> str:
    """Where a reply's audio goes, relative to the data folder (always with forward slashes)."""
    file_name = f"{number}.flac" if attempt == 1 else f"{number}-{attempt}.flac"
    return str(PurePosixPath(RECORDINGS_FOLDER, str(trainee_id), str(session_id), file_name))


def trainee_recordings_folder(data_folder: Path, trainee_id: int) -> Path:
    return data_folder / RECORDINGS_FOLDER / str(trainee_id)


def write_flac(path: Path, samples: Samples, sample_rate: int = SAMPLE_RATE) -> None:
    """Write mono audio as FLAC; a crash mid-write never leaves a half file under `path`."""
    import soundfile

    audio = np.asarray(samples, dtype=np.float32)
    if audio.ndim != 1 or audio.size == 0:
        raise ValueError("a recording needs mono audio with at least one sample")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.partial")
    try:
        soundfile.write(str(partial), np.clip(audio, -1.0, 1.0), sample_rate, format="FLAC")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def remove_recording(data_folder: Path, location: str) -> bool:
    """Delete one recording and the folders it leaves empty; False when it was already gone."""
    path = data_folder / location
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    _remove_empty_parents(path.parent, data_folder / RECORDINGS_FOLDER)
    return True


def remove_folder(data_folder: Path, folder: Path) -> None:
    """Delete a folder of recordings with everything in it, then empty parents."""
    shutil.rmtree(folder, ignore_errors=True)
    _remove_empty_parents(folder.parent, data_folder / RECORDINGS_FOLDER)


def _remove_empty_parents(folder: Path, top: Path) -> None:
    """Remove `folder` and its parents up to and including `top` while they are empty."""
    top = top.resolve()
    current = folder.resolve()
    while current == top or top in current.parents:
        try:
            current.rmdir()
        except FileNotFoundError:
            pass
        except OSError:
            return  # not empty
        if current == top:
            return
        current = current.parent
