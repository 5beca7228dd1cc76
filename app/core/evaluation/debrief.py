"""A call's debrief from its turns' evaluations: averages, strongest and weakest technique, and
the one thing to practise next."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from app.core.evaluation.labels import describe, praise
from app.core.evaluation.result import Evaluation

# What to practise when a component is the call's weakest.
PRACTICE: Final = {
    "acknowledges_feeling": 'Open every answer by naming the feeling: "I can hear how worrying '
    'this is."',
    "validates": 'Tell a suspicious customer their caution is right: "You\'re right to check."',
    "apology": "Apologise once where something went wrong, then move straight to what you'll do.",
    "active_listening": "Reflect their own words back before explaining: the amount, the date, "
    "what they were told.",
    "answers_question": "Answer the question asked first, with a specific: a time, an amount, "
    "where to look.",
    "transparency": "Say why it happened and what you can and cannot do: \"I can't ..., but I "
    'can ..."',
    "next_step": 'Close with a step you own and a time: "I\'ll call you back by five."',
    "checks_understanding": 'End by checking it landed: "Does that make sense?"',
    "safety": "Say what you will never ask for, and offer a safe way to check the call.",
    "respect": "Take out the phrases that brush the customer off or blame them.",
    "calm_wording": "Keep the wording neutral, however sharp the customer is.",
    "no_shouting": "No capitals or exclamation marks: a level tone reassures.",
    "not_defensive": 'Own the problem instead of defending yourself: "Let me sort this out."',
    "concise": "One acknowledgement, one explanation, one step: under sixty words.",
    "self_assured": "One apology, then act: repeated sorries sound unsure.",
    "few_fillers": 'Replace "um" and "I think" with a short pause.',
    "boundary": 'Set a calm boundary: "I want to help, and I need us to keep it respectful."',
    "steady_pace": "Slow to about 140 words a minute: breathe at each full stop.",
    "pauses": 'Fill a long silence with what you are doing: "Let me just check that."',
    "fillers_heard": 'Swap "um" and "uh" for a silent pause.',
    "steady_volume": "Keep your voice at its usual level when the customer raises theirs.",
    "steady_pitch": "Breathe out before answering so your voice settles lower.",
    "prompt_start": 'Start within a couple of seconds, even with "Let me look at that."',
}


def practice_for(name: str) -> str:
    """How to practise a component, in one sentence."""
    return PRACTICE.get(name, f"Practise {describe(name)}.")


@dataclass(frozen=True)
class ComponentAverage:
    name: str
    label: str
    score: int
    turns: int


@dataclass(frozen=True)
class CallDebrief:
    """Empathy and composure over the call, and what stood out.

    `components` lists every component seen in the call with its average, weakest first.
    """

    turns: int
    empathy: int
    composure: int
    components: tuple[ComponentAverage, ...]
    strongest: str
    weakest: str
    strength: str
    practise_next: str

    def to_json(self) -> dict[str, object]:
        return {
            "turns": self.turns,
            "empathy": self.empathy,
            "composure": self.composure,
            "components": {c.name: {"score": c.score, "turns": c.turns} for c in self.components},
            "strongest": self.strongest,
            "weakest": self.weakest,
            "strength": self.strength,
            "practise_next": self.practise_next,
        }


def debrief(evaluations: Sequence[Evaluation]) -> CallDebrief:
    """The debrief of a call from its turns' evaluations, in order."""
    if not evaluations:
        return CallDebrief(0, 0, 0, (), "", "", "", "Answer at least one line to get a debrief.")
    scores: dict[str, list[int]] = defaultdict(list)
    for evaluation in evaluations:
        for part in (*evaluation.empathy_components, *evaluation.composure_components):
            scores[part.name].append(part.score)
    averages = sorted(
        (
            ComponentAverage(name, describe(name), round(sum(got) / len(got)), len(got))
            for name, got in scores.items()
        ),
        key=lambda average: (average.score, average.name),
    )
    count = len(evaluations)
    weakest, strongest = averages[0], averages[-1]
    return CallDebrief(
        turns=count,
        empathy=round(sum(e.empathy for e in evaluations) / count),
        composure=round(sum(e.composure for e in evaluations) / count),
        components=tuple(averages),
        strongest=strongest.name,
        weakest=weakest.name,
        strength=f"{praise(strongest.name)} (average {strongest.score}/100).",
        practise_next=practice_for(weakest.name),
    )
