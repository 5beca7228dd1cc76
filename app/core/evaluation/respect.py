"""Respect: the ways a reply can disrespect a customer who already distrusts the caller.

Dismissing, blaming, defensiveness, sarcasm, hostility, impatience, talking down, brush-offs,
curt refusals and pressure each cost points; swearing at the situation in sympathy does not.
"""

from __future__ import annotations

from typing import Final

from app.core.evaluation import phrases as p
from app.core.evaluation import tone as t
from app.core.evaluation.reading import Hit, Judged, Reply, compile_phrases, quoted
from app.core.evaluation.result import Component

PROFANE_SYMPATHY = compile_phrases(t.PROFANE_SYMPATHY)
# Each way of disrespecting the customer: its phrases, how evidence names it, its signal and
# the tip that replaces it.
_DISRESPECT: Final = (
    (
        compile_phrases(p.DISMISSES),
        "dismisses the customer",
        "dismissed",
        'Drop "{quote}": it brushes the worry aside. Acknowledge it instead: '
        '"I can hear how worrying this is."',
    ),
    (
        compile_phrases(p.BLAMES),
        "blames the customer",
        "blamed",
        'Don\'t blame the customer ("{quote}"): say what you will do now.',
    ),
    (
        compile_phrases(p.DEFENSIVE),
        "sounds defensive",
        "defensive",
        'Leave out "{quote}": own the problem instead: "Let me sort this out for you."',
    ),
    # Sarcasm, hostility and impatience get their tip from composure's calm wording.
    (compile_phrases(p.SARCASTIC), "sounds sarcastic", "sarcastic", ""),
    (compile_phrases(p.HOSTILE), "hostile wording", "hostile", ""),
    (compile_phrases(p.IMPATIENT), "sounds impatient", "", ""),
    (compile_phrases(t.CONDESCENDING), "talks down to the customer", "dismissed", ""),
    (compile_phrases(t.PASSIVE_AGGRESSIVE), "polite words, cold message", "dismissed", ""),
    (compile_phrases(t.BRUSH_OFFS), "brushes them off", "dismissed", ""),
    (
        compile_phrases(t.CURT_REFUSALS),
        "refuses with no reason or way forward",
        "",
        'Say what you can do, not just "no": "I can\'t ..., but I can ...".',
    ),
    (
        compile_phrases(p.PRESSURES),
        "puts pressure on the customer",
        "",
        'Remove the pressure ("{quote}"): a genuine caller gives the customer time to check.',
    ),
)


def judge_respect(reply: Reply) -> Judged:
    lost = 0
    evidence: list[str] = []
    signals: set[str] = set()
    worst: tuple[int, str] | None = None
    kind_words = reply.find(PROFANE_SYMPATHY)
    for phrases, label, signal, tip in _DISRESPECT:
        for hit in without(reply.find(phrases), kind_words):
            lost += hit.weight
            evidence.append(quoted(hit, label))
            if signal:
                signals.add(signal)
            if tip and (worst is None or hit.weight > worst[0]):
                worst = (hit.weight, tip.format(quote=hit.quote))
    if not evidence:
        evidence.append("no dismissing, blaming, sarcasm or pressure")
    return Judged(
        Component("respect", max(0, 100 - lost), _unique(evidence)),
        worst[1] if worst else None,
        frozenset(signals),
    )


def without(hits: list[Hit], inside: list[Hit]) -> list[Hit]:
    """The hits that do not fall inside any of `inside` (swearing in sympathy is not hostility)."""
    return [h for h in hits if not any(o.start <= h.start < o.end for o in inside)]


def _unique(evidence: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(evidence))
