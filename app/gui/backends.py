"""The engines the window drives, gathered so that tests can hand in doubles.

The composition root (run.py) builds the real ones; tests build their own `Backends`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from app.audio.barge_in_watch import BargeInWatch
from app.audio.hearers import RecordThenTranscribe, TranscriberSource
from app.core.call_events import AnswerMode
from app.core.ports import Hearer, Listener, Samples, Speaker, Transcriber
from app.core.scenario import Scenario

# Returns the transcriber and, when it is only the fallback, a warning for the user.
TranscriberLoader = Callable[[], tuple[Transcriber, str | None]]
# Builds a listener for "hands-free" or "push-to-talk" on a named microphone (None: the
# default); raises when there is no microphone.
ListenerFactory = Callable[[str, str | None], Listener]
# The neural voice packs found (one line each) and the files that could not be used (one line
# each, with the reason); and a function that plays a sample with pack number N on a speaker.
VoicePackLister = Callable[[], tuple[list[str], list[str]]]
VoicePackPlayer = Callable[[int, str | None], None]
# Builds the hearer for a way of answering on a named microphone, with the recogniser (or a
# function that gives it once loaded); raises when there is no microphone.
HearerFactory = Callable[[AnswerMode, str | None, TranscriberSource], Hearer]


@runtime_checkable
class TakesVocabulary(Protocol):
    """A hearer that can be told the call's words (Whisper's prompt)."""

    def use_vocabulary(self, vocabulary: str) -> None: ...


def _no_vocabulary(_scenario: Scenario) -> str:
    return ""


def _no_devices() -> list[str]:
    return []


def _ignore_device(_name: str | None) -> None:
    return None


@dataclass
class Backends:
    speaker: Speaker
    make_listener: ListenerFactory
    load_transcriber: TranscriberLoader
    microphones: Callable[[], list[str]] = _no_devices
    speakers: Callable[[], list[str]] = _no_devices
    use_speaker: Callable[[str | None], None] = _ignore_device
    # Plays recorded replies in the history (samples, sample rate); None: no sound output.
    play: Callable[[Samples, int], object] | None = None
    close_actions: list[Callable[[], None]] = field(default_factory=list)
    # None: every reply is recorded whole by `make_listener`'s listener, then transcribed.
    make_hearer: HearerFactory | None = None
    # Watches a named microphone while the customer speaks, for barge-in (hands-free calls);
    # None: the customer is only interrupted from the keyboard.
    make_barge_in: Callable[[str | None], BargeInWatch] | None = None
    # The words a scenario's trainee is likely to say, for hearers that take them.
    vocabulary: Callable[[Scenario], str] = _no_vocabulary
    # None: no neural voice packs to list in Settings.
    voice_packs: VoicePackLister | None = None
    play_voice_pack: VoicePackPlayer | None = None
    # Which engine speaks for a voice preset, in one line (None: not said).
    describe_voice: Callable[[str], str] | None = None

    def hearer(
        self, mode: AnswerMode, device: str | None, transcriber: TranscriberSource
    ) -> Hearer:
        if self.make_hearer is not None:
            return self.make_hearer(mode, device, transcriber)
        return RecordThenTranscribe(self.make_listener(mode.value, device), transcriber)

    def close(self) -> None:
        for action in self.close_actions:
            action()
