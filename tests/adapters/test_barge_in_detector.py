"""The barge-in detector on mixed recordings: echo alone is ignored, the trainee is heard."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from app.audio.audio_file import read_audio_file
from app.audio.barge_in import BargeInDetector
from app.audio.streaming import FRAME_SAMPLES
from app.core.ports import SAMPLE_RATE, Samples

pytestmark = pytest.mark.slow

CUSTOMER = "I really do not understand why this payment is on my card and I want it explained."
TRAINEE = "Let me stop you there, I can help."


def _say(text: str, voice: str, folder: Path) -> Samples:
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is missing: ./scripts/setup.sh installs it")
    path = folder / "line.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), text], check=True)
    return read_audio_file(path)


def _first_detection(customer: Samples, microphone: Samples, delay: float = 0.08) -> float | None:
    detector = BargeInDetector()
    detector.playing(customer, SAMPLE_RATE, started_at=0.0)
    jitter = np.random.default_rng(3)
    for index in range(microphone.size // FRAME_SAMPLES):
        arrived = (index + 1) * FRAME_SAMPLES / SAMPLE_RATE + float(jitter.uniform(0, 0.03))
        chunk = microphone[index * FRAME_SAMPLES : (index + 1) * FRAME_SAMPLES]
        if detector.hear(chunk, arrived):
            assert detector.detected_at is not None
            return detector.detected_at
    return None


def _microphone(customer: Samples, echo_gain: float, trainee: Samples | None, at: float) -> Samples:
    """The customer's echo 80 ms late at `echo_gain` (0.3 is -10 dB), the trainee at full level
    from `at` s (as near the microphone as a headset or laptop user), and room noise."""
    heard = np.zeros(customer.size + SAMPLE_RATE, dtype=np.float32)
    delay = int(0.08 * SAMPLE_RATE)
    heard[delay : delay + customer.size] += echo_gain * customer
    if trainee is not None:
        start = int(at * SAMPLE_RATE)
        length = min(trainee.size, heard.size - start)
        heard[start : start + length] += trainee[:length]
    noise = np.random.default_rng(1).normal(0, 0.002, heard.size).astype(np.float32)
    return heard + noise


@pytest.mark.parametrize("echo_gain", [0.1, 0.3])
def test_the_customers_echo_alone_never_counts_as_the_trainee(
    tmp_path: Path, echo_gain: float
) -> None:
    customer = _say(CUSTOMER, "en-gb+f3", tmp_path)

    assert _first_detection(customer, _microphone(customer, echo_gain, None, 0.0)) is None


@pytest.mark.parametrize("echo_gain", [0.1, 0.3])
def test_the_trainee_over_the_echo_is_heard_within_a_few_frames(
    tmp_path: Path, echo_gain: float
) -> None:
    customer = _say(CUSTOMER, "en-gb+f3", tmp_path)
    trainee = _say(TRAINEE, "en-us", tmp_path)
    onset = 2.0 + float(np.flatnonzero(np.abs(trainee) > 0.02)[0]) / SAMPLE_RATE

    detected = _first_detection(customer, _microphone(customer, echo_gain, trainee, 2.0))

    assert detected is not None
    assert onset <= detected + 0.05  # not before the trainee spoke
    assert detected - onset < 0.2
