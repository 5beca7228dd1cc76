"""The neural voice (Piper), run inside the speech child process: one sentence at a time.

Piper is GPL-3.0 and heavy (an ONNX model of about 60 MB per voice, a few hundred milliseconds
per sentence on two cores), so it lives in its own process like espeak-ng: the app talks to it
through a pipe, can kill it to stop speech at once, and a crash there never takes the window down.

Mood is honoured as it is with espeak-ng: the speaking rate becomes Piper's length scale, and
pitch is raised or lowered by resampling (synthesised slower by the pitch factor, then played
back faster by it), which keeps the duration while shifting the voice.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from app.core.ports import Samples

# The speaking rate, in words per minute, at which Piper's voices talk with length scale 1:
# joe-medium said a sixteen-word line at 0.24 s a word (about 250 a minute counting the pauses);
# taking 200 here slows it to about the preset's rate, which suits a customer on the phone.
NATURAL_WORDS_PER_MINUTE = 200
# A neural voice shifted as far as espeak-ng's pitch setting sounds like another person: a mood
# moves it by half as many semitones (an angry customer's 1.2 becomes about 1.6 semitones).
PITCH_SHARE = 0.5


@dataclass(frozen=True)
class NeuralRequest:
    """One sentence for Piper: the pack, the words and how to say them."""

    text: str
    wav_path: str
    model: str
    config: str
    words_per_minute: int
    pitch_multiplier: float
    volume: float


def length_scale(words_per_minute: int) -> float:
    """Piper's phoneme length scale for a speaking rate (above 1 is slower)."""
    return NATURAL_WORDS_PER_MINUTE / max(words_per_minute, 1)


def pitch_factor(pitch_multiplier: float) -> float:
    """The frequency ratio a mood's pitch multiplier gives a neural voice."""
    return float(pitch_multiplier**PITCH_SHARE)


def shift_pitch(samples: Samples, factor: float) -> Samples:
    """Samples played `factor` times faster: every frequency times `factor`, duration over it."""
    if abs(factor - 1.0) < 1e-3 or len(samples) < 2:
        return samples
    count = max(round(len(samples) / factor), 1)
    positions = np.linspace(0, len(samples) - 1, count)
    shifted: Samples = np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)
    return shifted


class NeuralEngine:
    """Piper voices, loaded once each, writing one WAV per request."""

    def __init__(self) -> None:
        import piper  # noqa: F401  (fails here, at start-up, when the extra is not installed)

        self._voices: dict[str, Any] = {}
        self._lock = threading.Lock()

    def load(self, model: str, config: str) -> Any:
        from piper import PiperVoice

        with self._lock:
            if model not in self._voices:
                self._voices[model] = PiperVoice.load(Path(model), config_path=Path(config))
            return self._voices[model]

    def warm_up(self, model: str, config: str) -> None:
        """Load the voice and run it once: the first synthesis is several times slower."""
        for _ in self.load(model, config).synthesize("Ready."):
            pass

    def speak_to_file(self, request: NeuralRequest) -> list[str]:
        from piper import SynthesisConfig

        voice = self.load(request.model, request.config)
        factor = pitch_factor(request.pitch_multiplier)
        config = SynthesisConfig(
            # Synthesised slower by the pitch factor, so that shifting it up restores the rate.
            length_scale=length_scale(request.words_per_minute) * factor,
            volume=min(max(request.volume, 0.0), 1.0),
        )
        chunks = [chunk.audio_float_array for chunk in voice.synthesize(request.text, config)]
        if not chunks:
            raise RuntimeError(f"the neural voice produced no audio for {request.text[:40]!r}")
        audio = shift_pitch(np.concatenate(chunks).astype(np.float32), factor)
        soundfile.write(request.wav_path, audio, voice.config.sample_rate, subtype="PCM_16")
        return []
