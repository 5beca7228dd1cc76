"""The techniques an observer may tick: the evaluator's empathy and composure components that
a listener can hear, named as the trainee's debrief names them."""

from __future__ import annotations

from typing import Final

from app.core.evaluation.labels import describe

TECHNIQUES: Final = (
    "acknowledges_feeling",
    "validates",
    "apology",
    "active_listening",
    "answers_question",
    "transparency",
    "next_step",
    "checks_understanding",
    "boundary",
)


def technique_labels() -> dict[str, str]:
    """id -> what the observer sees next to its box ("a concrete next step")."""
    return {name: describe(name) for name in TECHNIQUES}
