"""The machine's input devices: listing them, choosing one, opening it at 16 kHz."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import speech_recognition as sr

from app.core.ports import SAMPLE_RATE

NO_MICROPHONE = "No microphone found: connect one or type your reply"
# The microphone delivers this many chunks a second (each one meter reading and stop check).
CHUNKS_PER_SECOND = 20


class NoMicrophoneError(Exception):
    """No usable input device; the message is one line for the user."""


@contextlib.contextmanager
def quiet_native_stderr() -> Iterator[None]:
    """Hides the ALSA/JACK probing messages PortAudio prints straight to file descriptor 2."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _input_devices() -> tuple[list[tuple[int, str]], int | None]:
    """(index, name) of every device that can record, and the system default input's index."""
    pyaudio = sr.Microphone.get_pyaudio()
    with quiet_native_stderr():
        audio = pyaudio.PyAudio()
    try:
        devices = []
        for index in range(audio.get_device_count()):
            info = audio.get_device_info_by_index(index)
            if int(info.get("maxInputChannels", 0)) > 0:
                devices.append((index, str(info.get("name"))))
        try:
            default: int | None = int(audio.get_default_input_device_info()["index"])
        except OSError:
            default = None
    finally:
        audio.terminate()
    return devices, default


def list_microphones() -> list[str]:
    """Names of the input devices, for a device picker."""
    devices, _default = _input_devices()
    return [name for _index, name in devices]


def resolve_device(device: str | int | None) -> int | None:
    """The PyAudio index for a device name or index; None means the system default."""
    devices, default = _input_devices()
    if not devices:
        raise NoMicrophoneError(NO_MICROPHONE)
    names = [name for _index, name in devices]
    if device is None:
        if "pulse" in names:
            return devices[names.index("pulse")][0]
        return default if default is not None else devices[0][0]
    if isinstance(device, int):
        if device in [index for index, _name in devices]:
            return device
        raise NoMicrophoneError(f"No microphone with number {device}: choose one of {names}")
    if device in names:
        return devices[names.index(device)][0]
    raise NoMicrophoneError(f"No microphone named {device!r}: choose one of {names}")


@contextlib.contextmanager
def opened_microphone(device_index: int | None) -> Iterator[sr.Microphone]:
    """The microphone, recording at 16 kHz or, when the device refuses that, at its own rate."""
    for rate in (SAMPLE_RATE, None):
        with quiet_native_stderr():
            try:
                microphone = sr.Microphone(device_index=device_index, sample_rate=rate)
            except (OSError, AssertionError) as error:  # unplugged since it was chosen
                raise NoMicrophoneError(NO_MICROPHONE) from error
            microphone.CHUNK = microphone.SAMPLE_RATE // CHUNKS_PER_SECOND
            # The library swallows a refused open and leaves the stream unset.
            microphone.__enter__()
        if microphone.stream is not None:
            break
    else:
        raise NoMicrophoneError("The microphone could not be opened: check it or type your reply")
    try:
        yield microphone
    finally:
        microphone.__exit__(None, None, None)
