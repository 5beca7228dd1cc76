"""What a recogniser heard: the words of a reply with their timings and confidence."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# Below this, a recognised word is shown as doubtful and the trainee is asked to check it.
LOW_WORD_PROBABILITY = 0.4
LOW_CONFIDENCE = 0.6


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
    # What the recogniser heard, when the trainee corrected it before scoring.
    original_text: str | None = None

    @classmethod
    def typed(cls, text: str) -> Transcript:
        """A reply typed by the trainee: exact by definition, with no timings."""
        return cls(text=text.strip(), engine="typed", confidence=1.0)

    @property
    def is_uncertain(self) -> bool:
        """True when the recogniser was unsure enough that the trainee should check the words."""
        if self.engine == "typed" or self.original_text is not None:
            return False
        return self.confidence < LOW_CONFIDENCE or any(
            word.probability < LOW_WORD_PROBABILITY for word in self.words
        )

    def unsure_spans(self) -> tuple[tuple[int, int], ...]:
        """Where in `text` the words the recogniser was unsure of are, as (start, end).

        The scorer credits nothing from them. None once the trainee has corrected or confirmed
        the words, and none for a typed reply.
        """
        if self.engine == "typed" or self.original_text is not None:
            return ()
        spans: list[tuple[int, int]] = []
        folded = self.text.lower()
        cursor = 0
        for word in self.words:
            said = word.text.strip().lower()
            if not said:
                continue
            found = folded.find(said, cursor)
            if found < 0:
                continue
            cursor = found + len(said)
            if word.probability < LOW_WORD_PROBABILITY:
                spans.append((found, cursor))
        return tuple(spans)

    def corrected(self, text: str) -> Transcript:
        """The trainee's own correction, scored in place of what was heard (kept beside it)."""
        text = text.strip()
        if text == self.text:
            return replace(self, original_text=self.text)
        return replace(self, text=text, original_text=self.text)
