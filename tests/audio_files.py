"""Test audio written with PyAV (installed with faster-whisper), so no system tool is needed."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import soundfile


def write_mp3(source: Path, mp3: Path) -> None:
    """Encode a sound file as MP3 with PyAV's bundled LAME encoder."""
    samples, rate = soundfile.read(str(source), dtype="float32", always_2d=True)
    mono = samples.mean(axis=1)
    pcm = (np.clip(mono, -1.0, 1.0) * 32767).astype(np.int16).reshape(1, -1)
    with av.open(str(mp3), "w") as container:
        stream = container.add_stream("mp3", rate=int(rate))
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = int(rate)
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def write_empty_wav(path: Path) -> None:
    """A valid 16 kHz WAV file with no samples in it."""
    soundfile.write(str(path), np.zeros(0, dtype=np.int16), 16000, subtype="PCM_16")
