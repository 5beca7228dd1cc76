"""The result of evaluating one reply: the interface every scorer and view relies on."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Component:
    """One named part of a score (for example "acknowledges_feeling") with quoted evidence.

    `score` is 0-100. `evidence` holds the words of the reply that earned or cost it, or a note
    of its absence ("no next step offered").
    """

    name: str
    score: int
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    """Empathy and composure of one reply, 0-100, explained.

    `signals` names what the reply did, for the dialogue engine: "acknowledged", "validated",
    "apologised", "transparent", "next_step", "asked_for_secret", "dismissed", "blamed",
    "defensive", "hostile", "sarcastic", "boundary". `concerns_addressed` holds ids of the
    scenario's concerns the reply addressed.
    """

    empathy: int
    composure: int
    evidence: tuple[str, ...]
    tips: tuple[str, ...]
    empathy_components: tuple[Component, ...] = ()
    composure_components: tuple[Component, ...] = ()
    signals: frozenset[str] = field(default_factory=frozenset)
    concerns_addressed: frozenset[str] = field(default_factory=frozenset)
    # The turn's best-earned technique with the words that earned it ("" when none), and the
    # single most useful change, with a model reply's sentence showing it when one was given.
    strength: str = ""
    improvement: str = ""

    def components_json(self) -> dict[str, dict[str, object]]:
        """Every component by name: {"score": ..., "evidence": [...]}."""
        return {
            c.name: {"score": c.score, "evidence": list(c.evidence)}
            for c in (*self.empathy_components, *self.composure_components)
        }

    def to_json(self) -> dict[str, object]:
        """The stable JSON shape of `python -m app score --json`."""
        return {
            "empathy": self.empathy,
            "composure": self.composure,
            "evidence": list(self.evidence),
            "tips": list(self.tips),
            "components": self.components_json(),
            "signals": sorted(self.signals),
            "concerns_addressed": sorted(self.concerns_addressed),
            "strength": self.strength,
            "improvement": self.improvement,
        }
