"""The lines the customer may say after the trainee's reply, known before the reply is scored.

The dialogue engine is deterministic once its random state is fixed, so reacting to a range of
imagined replies on a copy of the call gives the very lines (and moods) the customer would pick.
Synthesising them while the trainee is still speaking lets the customer answer without delay.
"""

from __future__ import annotations

from itertools import product

from app.core.dialogue import Conversation, CustomerLine
from app.core.evaluation.result import Evaluation

# Imagined replies from poor to excellent: scores, and the signals that move the customer most.
_SCORES = ((15, 40), (50, 60), (85, 85))
_SIGNALS: tuple[frozenset[str], ...] = (
    frozenset(),
    frozenset({"acknowledged", "transparent", "next_step"}),
    frozenset({"dismissed", "defensive"}),
    frozenset({"hostile"}),
    # A reply that did not answer: the customer says so first ("That's not what I asked.").
    frozenset({"off_topic"}),
    frozenset({"formula", "acknowledged"}),
)


def likely_next_lines(conversation: Conversation, limit: int = 12) -> list[CustomerLine]:
    """Distinct lines the customer could say next, most typical replies first.

    Empty when the call has not started or has ended. Ending lines are included: they are
    said with the voice too.
    """
    if conversation.current_line is None or conversation.ending is not None:
        return []
    concerns = [frozenset(), frozenset({conversation.stage.concern})]
    all_concerns = frozenset(concern.id for concern in conversation.scenario.concerns)
    concerns.append(all_concerns)
    lines: list[CustomerLine] = []
    for (empathy, composure), signals, addressed in product(_SCORES, _SIGNALS, concerns):
        imagined = Evaluation(
            empathy=empathy,
            composure=composure,
            evidence=(),
            tips=(),
            signals=signals,
            concerns_addressed=addressed,
        )
        twin = conversation.snapshot()
        outcome = twin.respond(imagined)
        line = outcome.line_to_say
        if line is not None and line not in lines:
            lines.append(line)
        if len(lines) >= limit:
            break
    return lines
