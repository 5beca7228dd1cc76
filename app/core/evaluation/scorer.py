"""Evaluating one reply: empathy and composure, the evidence for them and what to do better.

Signals raised for the dialogue engine:
- "acknowledged": named the customer's feeling; "apologised": said sorry;
- "validated": told the customer their caution is right;
- "transparent": explained why or what can and cannot be done;
- "next_step": promised an action of one's own;
- "boundary": stated what will never be asked, or what cannot be done and what can instead;
- "asked_for_secret": asked for a PIN, password, CVV, full card number or similar;
- "dismissed", "blamed", "defensive", "hostile", "sarcastic": the habits training warns against.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

from app.core.evaluation.composure import COMPOSURE_WEIGHTS, judge_composure
from app.core.evaluation.empathy import (
    EMPATHY_WEIGHTS,
    ConcernCues,
    addressed_concerns,
    judge_empathy,
)
from app.core.evaluation.phrases import Judged, Reply
from app.core.evaluation.result import Component, Evaluation
from app.core.voice import VoiceFeatures

# One bad habit colours the whole reply for a customer who already distrusts the caller: a low
# score here limits the total to this floor plus the share of the component that was kept.
EMPATHY_CEILINGS: Final = {"respect": 25}
COMPOSURE_CEILINGS: Final = {"calm_wording": 30, "no_shouting": 45, "not_defensive": 60}
# Asking for a secret is what the scam the customer fears would do.
SECRET_REQUEST_CEILING = 40
# Warnings come first in evidence and tips: they cost the most trust.
WARNING_COMPONENTS: Final = ("safety", "respect", "calm_wording", "no_shouting", "not_defensive")
# Measured figures, cited in the evidence when outside their calm range.
FIGURE_COMPONENTS: Final = ("concise", "steady_pace", "pauses")
MAX_EVIDENCE = 8
MAX_TIPS = 3
NO_REPLY = "no reply was heard"
NO_REPLY_TIP = 'Answer even when unsure: "I can hear how worrying this is. Let me check that now."'
WELL_DONE_TIP = (
    "Keep this shape: name the feeling, explain what happened, then say what you will do and when."
)


def evaluate(
    customer_line: str,
    reply: str,
    concerns: Sequence[ConcernCues] = (),
    voice: VoiceFeatures | None = None,
) -> Evaluation:
    """Scores a reply to the customer's line, quoting the reply's own words as evidence."""
    heard = Reply(reply)
    if heard.word_count == 0:
        return _no_reply()
    addressed = addressed_concerns(heard, concerns)
    empathy_parts = judge_empathy(heard, Reply(customer_line), addressed)
    composure_parts = judge_composure(heard, voice)
    signals = frozenset().union(*(part.signals for part in (*empathy_parts, *composure_parts)))
    empathy = _combine(empathy_parts, EMPATHY_WEIGHTS, EMPATHY_CEILINGS)
    if "asked_for_secret" in signals:
        empathy = min(empathy, SECRET_REQUEST_CEILING)
    return Evaluation(
        empathy=empathy,
        composure=_combine(composure_parts, COMPOSURE_WEIGHTS, COMPOSURE_CEILINGS),
        evidence=_evidence(heard, (*empathy_parts, *composure_parts)),
        tips=_tips((*empathy_parts, *composure_parts)),
        empathy_components=tuple(part.component for part in empathy_parts),
        composure_components=tuple(part.component for part in composure_parts),
        signals=signals,
        concerns_addressed=frozenset(addressed),
    )


def _combine(
    parts: Sequence[Judged], weights: Mapping[str, int], ceilings: Mapping[str, int]
) -> int:
    total_weight = sum(weights[part.component.name] for part in parts)
    weighted = sum(weights[part.component.name] * part.component.score for part in parts)
    score = weighted / total_weight
    for part in parts:
        floor = ceilings.get(part.component.name)
        if floor is not None:
            score = min(score, floor + (100 - floor) * part.component.score / 100)
    return round(score)


def _evidence(heard: Reply, parts: Sequence[Judged]) -> tuple[str, ...]:
    """Quotes from the reply, warnings first, then figures that fell outside their calm range.

    A quote that earned several things is shown once, with every reason.
    """
    warnings = [part for part in parts if part.component.name in WARNING_COMPONENTS]
    others = [part for part in parts if part.component.name not in WARNING_COMPONENTS]
    reasons: dict[str, list[str]] = {}
    for part in (*warnings, *others):
        for line in part.component.evidence:
            if line.startswith('"'):
                quote, _, reason = line.rpartition(" - ")
                reasons.setdefault(quote, []).append(reason)
    chosen = [f"{quote} - {', '.join(dict.fromkeys(why))}" for quote, why in reasons.items()]
    if not chosen:
        chosen.append(f'"{heard.quote(0, 1)}" - no empathy technique recognised')
    chosen += [
        line
        for part in parts
        if part.component.score < 100 and part.component.name in FIGURE_COMPONENTS
        for line in part.component.evidence
    ]
    return tuple(chosen[:MAX_EVIDENCE])


def _tips(parts: Iterable[Judged]) -> tuple[str, ...]:
    """The most useful improvement first: warnings, then the biggest weighted shortfall."""
    weights = {**EMPATHY_WEIGHTS, **COMPOSURE_WEIGHTS}

    def priority(part: Judged) -> tuple[bool, int]:
        name = part.component.name
        is_warning = name in WARNING_COMPONENTS and part.component.score < 50
        return (not is_warning, -weights[name] * (100 - part.component.score))

    ranked = sorted((part for part in parts if part.tip), key=priority)
    tips = tuple(dict.fromkeys(part.tip for part in ranked if part.tip))[:MAX_TIPS]
    return tips or (WELL_DONE_TIP,)


def _no_reply() -> Evaluation:
    def silent(names: Iterable[str]) -> tuple[Component, ...]:
        return tuple(Component(name, 0, (NO_REPLY,)) for name in names)

    return Evaluation(
        empathy=0,
        composure=0,
        evidence=(NO_REPLY,),
        tips=(NO_REPLY_TIP,),
        empathy_components=silent(EMPATHY_WEIGHTS),
        composure_components=silent(
            name for name in COMPOSURE_WEIGHTS if name not in ("steady_pace", "pauses")
        ),
    )
