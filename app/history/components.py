"""What each named part of a score is called in a report, and how to practise it.

The evaluator owns these words (app.core.evaluation), so that the window, the debrief and the
reports name a skill and advise on it the same way.
"""

from __future__ import annotations

from app.core.evaluation.debrief import practice_for
from app.core.evaluation.labels import describe


def component_label(name: str) -> str:
    label = describe(name)
    return label[:1].upper() + label[1:]


def practice_advice(name: str) -> str:
    return practice_for(name)
