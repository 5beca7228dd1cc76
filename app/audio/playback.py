"""Plays the customer's voice through a chosen output device, stoppable at once.

Playing the samples ourselves (rather than letting the speech engine play them) lets the
trainee pick the device, lets a new turn cut the customer off within a few milliseconds, and
tells the response-time measurement exactly when the first sound reached the speakers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import sounddevice

from app.audio.speech_process import SpeechError
from app.core.ports import Samples

# Small blocks keep a stop prompt: each block is about 23 ms at 22.05 kHz.
BLOCK_FRAMES = 512
# How often the playing thread looks for a stop request.
_POLL_SECONDS = 0.005
# Preferred when present: PulseAudio (or PipeWire's pulse layer) follows the desktop's choice.
PREFERRED_DEVICE = "pulse"


def output_device_names() -> list[str]:
    """The names of the devices that can play sound, for a settings menu."""
    return [device["name"] for device in _output_devices()]


class Playback:
    """Plays mono float32 samples; `stop()` from any thread ends playback within ~25 ms."""

    def __init__(self, device: str | int | None = None) -> None:
        self.device = device
        self._lock = threading.Lock()
        self._active_stop: threading.Event | None = None

    def play(
        self,
        samples: Samples,
        sample_rate: int,
        on_first_audio: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> bool:
        """Play until the end (True) or until stopped (False).

        `on_first_audio` receives the `time.perf_counter()` moment the first sample is due at
        the device, called from this thread. `cancel` lets a caller stop this very playback
        even when it asks before playback has begun.
        """
        stop = cancel or threading.Event()
        with self._lock:
            self._active_stop = stop
        try:
            return self._play(samples, sample_rate, on_first_audio, stop)
        finally:
            with self._lock:
                if self._active_stop is stop:
                    self._active_stop = None

    def stop(self) -> None:
        """End the playback in progress, if any."""
        with self._lock:
            if self._active_stop is not None:
                self._active_stop.set()

    def _play(
        self,
        samples: Samples,
        sample_rate: int,
        on_first_audio: Callable[[float], None] | None,
        stop: threading.Event,
    ) -> bool:
        if stop.is_set():
            return False
        device = resolve_output_device(self.device)
        audio = np.ascontiguousarray(samples, dtype=np.float32).reshape(-1)
        device_rate = _playable_rate(device, sample_rate)
        if device_rate != sample_rate:
            audio = _resample(audio, sample_rate, device_rate)
        position = 0
        first_audio_at: list[float] = []
        finished = threading.Event()

        def fill(outdata: Any, frames: int, time_info: Any, _status: Any) -> None:
            nonlocal position
            if stop.is_set():
                raise sounddevice.CallbackAbort
            chunk = audio[position : position + frames]
            outdata[: len(chunk), 0] = chunk
            outdata[len(chunk) :, 0] = 0
            if position == 0 and len(chunk):
                first_audio_at.append(_when_audible(time_info))
            position += len(chunk)
            if position >= len(audio):
                raise sounddevice.CallbackStop

        reported = on_first_audio is None
        try:
            with sounddevice.OutputStream(
                samplerate=device_rate,
                blocksize=BLOCK_FRAMES,
                device=device,
                channels=1,
                dtype="float32",
                callback=fill,
                finished_callback=finished.set,
            ) as stream:
                while not finished.wait(_POLL_SECONDS):
                    if stop.is_set():
                        stream.abort()
                        return False
                    if not reported and first_audio_at:
                        reported = True
                        assert on_first_audio is not None
                        on_first_audio(first_audio_at[0])
        except sounddevice.PortAudioError as error:
            raise SpeechError(f"cannot play on output device {device}: {error}") from None
        if not reported and first_audio_at:
            assert on_first_audio is not None
            on_first_audio(first_audio_at[0])
        return position >= len(audio)


def resolve_output_device(device: str | int | None) -> int:
    """The index of the output device asked for: by name, by index, or the preferred one."""
    outputs = _output_devices()
    if not outputs:
        raise SpeechError(
            "no sound output device found: connect speakers or headphones "
            "(on Linux, check that PulseAudio or PipeWire is running)"
        )
    if isinstance(device, int):
        if any(candidate["index"] == device for candidate in outputs):
            return device
        raise SpeechError(f"no output device number {device}; {_known(outputs)}")
    if device is None:
        for candidate in outputs:
            if candidate["name"] == PREFERRED_DEVICE:
                return int(candidate["index"])
        default_output = sounddevice.default.device[1]
        if any(candidate["index"] == default_output for candidate in outputs):
            return int(default_output)
        return int(outputs[0]["index"])
    for candidate in outputs:
        if candidate["name"] == device:
            return int(candidate["index"])
    for candidate in outputs:
        if device.casefold() in candidate["name"].casefold():
            return int(candidate["index"])
    raise SpeechError(f"no output device named {device!r}; {_known(outputs)}")


def _output_devices() -> list[dict[str, Any]]:
    try:
        devices = sounddevice.query_devices()
    except sounddevice.PortAudioError:
        return []
    return [dict(device) for device in devices if device["max_output_channels"] > 0]


def _known(outputs: list[dict[str, Any]]) -> str:
    return "available: " + ", ".join(f"{d['index']}: {d['name']}" for d in outputs)


def _playable_rate(device: int, sample_rate: int) -> int:
    """The speech's own rate when the device takes it, else the device's usual rate."""
    try:
        sounddevice.check_output_settings(
            device=device, channels=1, dtype="float32", samplerate=sample_rate
        )
        return sample_rate
    except sounddevice.PortAudioError:
        return int(sounddevice.query_devices(device)["default_samplerate"])


def _resample(audio: Samples, from_rate: int, to_rate: int) -> Samples:
    # Linear interpolation is plenty for a synthetic voice on a device that refuses 22.05 kHz.
    count = round(len(audio) * to_rate / from_rate)
    positions = np.linspace(0, len(audio) - 1, count)
    return np.interp(positions, np.arange(len(audio)), audio).astype(np.float32)


def _when_audible(time_info: Any) -> float:
    """The perf_counter moment the block's first sample leaves the device."""
    now = time.perf_counter()
    latency = time_info.outputBufferDacTime - time_info.currentTime
    # Some back ends report no clock (zeros); then the block's hand-over time is the best known.
    return now + latency if 0 < latency < 1 else now


class UnplayedOutput(Playback):
    """Stands in for the speakers when the machine has no output device: the line counts as
    heard the moment its samples are ready, so playback start-up is not in the figures."""

    def play(
        self,
        samples: Samples,
        sample_rate: int,
        on_first_audio: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> bool:
        if on_first_audio is not None:
            on_first_audio(time.perf_counter())
        return True
