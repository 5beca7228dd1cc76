"""What a recogniser heard: the words of a reply with their timings and confidence."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    """One recognised word; times are seconds from the start of the reply's audio."""

    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Transcript:
    """A transcribed reply.

    `engine` is "whisper", "sphinx" or "typed"; `confidence` is 0..1 (1.0 for typed replies).
    `audio_seconds` is the length of the audio, `seconds_taken` how long recognition took.
    """

    text: str
    engine: str
    confidence: float
    words: tuple[Word, ...] = field(default_factory=tuple)
    audio_seconds: float = 0.0
    seconds_taken: float = 0.0

    @classmethod
    def typed(cls, text: str) -> Transcript:
        """A reply typed by the trainee: exact by definition, with no timings."""
        return cls(text=text.strip(), engine="typed", confidence=1.0)

    @property
    def is_uncertain(self) -> bool:
        """True when the recogniser was unsure enough that the trainee should check the words."""
        return self.engine != "typed" and self.confidence < 0.6
