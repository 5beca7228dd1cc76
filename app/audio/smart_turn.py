"""Has the trainee finished? Pipecat's Smart Turn v3.2, judging from the sound of the reply.

Smart Turn is a Whisper-tiny encoder trained to tell a finished turn from a pause in the middle
of one, from intonation and rhythm: a trailing "and..." sounds unfinished even before Whisper
has written it down. It reads the last 8 seconds of audio as Whisper-style log-mel features.

The model file comes from the `pipecat-ai` wheel, installed without its dependencies (see
requirements-no-deps.txt): only the ONNX file is read, found through the installed package's
file list so that nothing of pipecat is imported. Features come from faster-whisper's own
extractor, which gives the same numbers as pipecat's (within 1e-5) after the same waveform
normalisation.
"""

from __future__ import annotations

import threading
import time
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import numpy as np

from app.core.ports import SAMPLE_RATE, Samples

MODEL_PACKAGE = "pipecat-ai"
MODEL_FILE = "pipecat/audio/turn/smart_turn/data/smart-turn-v3.2-cpu.onnx"
WINDOW_SECONDS = 8  # the model's input: the last 8 s of the reply, zero-padded in front
_WINDOW_SAMPLES = WINDOW_SECONDS * SAMPLE_RATE
_NORMALISE_EPSILON = 1e-7


class TurnModelUnavailableError(Exception):
    """The end-of-turn model could not be loaded; the message is one line for the user."""


def smart_turn_model_path() -> Path:
    """Where the installed pipecat-ai wheel keeps the Smart Turn v3.2 ONNX file."""
    try:
        package = distribution(MODEL_PACKAGE)
    except PackageNotFoundError as error:
        raise TurnModelUnavailableError(
            f"the end-of-turn model package ({MODEL_PACKAGE}) is not installed: "
            "run ./scripts/setup.sh's install again"
        ) from error
    path = Path(str(package.locate_file(MODEL_FILE)))
    if not path.is_file():
        raise TurnModelUnavailableError(f"end-of-turn model file missing: {path}")
    return path


class SmartTurnModel:
    """The probability that a reply, as heard so far, is finished.

    One onnxruntime session on one thread: a judgement takes 15-60 ms on a quiet 2-core
    machine, and a second thread would only compete with Whisper, which runs at the same time.
    Safe to share between threads (calls are serialised).
    """

    def __init__(self, path: Path | None = None, threads: int = 1) -> None:
        import onnxruntime
        from faster_whisper.feature_extractor import FeatureExtractor

        model_path = path or smart_turn_model_path()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        try:
            self._session = onnxruntime.InferenceSession(
                str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime raises its own, unexported exception types
            first_line = (str(error).splitlines() or [type(error).__name__])[0]
            raise TurnModelUnavailableError(
                f"end-of-turn model failed to load: {first_line}"
            ) from error
        self._features = FeatureExtractor(feature_size=80, chunk_length=WINDOW_SECONDS)
        self._lock = threading.Lock()
        self.last_seconds = 0.0  # how long the latest judgement took, for the benchmark

    def probability_finished(self, samples: Samples) -> float:
        """0 (clearly mid-sentence) to 1 (clearly finished), for 16 kHz mono samples."""
        started = time.perf_counter()
        audio = np.asarray(samples, dtype=np.float32).reshape(-1)[-_WINDOW_SAMPLES:]
        audio = np.pad(audio, (_WINDOW_SAMPLES - audio.size, 0))
        audio = (audio - audio.mean()) / np.sqrt(audio.var() + _NORMALISE_EPSILON)
        features = self._features(audio, padding=0)[:, : WINDOW_SECONDS * 100]
        with self._lock:
            (output,) = self._session.run(None, {"input_features": features[None, :, :]})
        self.last_seconds = time.perf_counter() - started
        return float(np.asarray(output).reshape(-1)[0])

    def warm_up(self) -> None:
        """One judgement of silence, so that the first real one is not slowed by allocation."""
        self.probability_finished(np.zeros(SAMPLE_RATE, dtype=np.float32))


def load_turn_model() -> tuple[SmartTurnModel | None, str | None]:
    """The end-of-turn model, warmed up; or None and one line saying why replies will wait
    longer (they then end on their words alone, after a longer silence)."""
    try:
        model = SmartTurnModel()
        model.warm_up()
    except TurnModelUnavailableError as error:
        return None, f"{error}; replies end after a longer pause"
    return model, None
