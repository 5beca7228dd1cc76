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

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Final

from app.core.evaluation.composure import WORDING_WEIGHTS, judge_wording
from app.core.evaluation.concerns import ConcernCues, addressed_concerns
from app.core.evaluation.customer import CustomerTurn, read_customer
from app.core.evaluation.empathy import (
    EMPATHY_WEIGHTS,
    empathy_weights,
    feeling_signals,
    judge_empathy,
)
from app.core.evaluation.labels import praise
from app.core.evaluation.learned import RuleView, blended
from app.core.evaluation.reading import Hit, Judged, Reply
from app.core.evaluation.relevance import judge_relevance, measure_relevance
from app.core.evaluation.result import Component, Evaluation
from app.core.evaluation.voice_composure import VOICE_WEIGHTS, judge_voice
from app.core.voice import VoiceFeatures

COMPOSURE_WEIGHTS: Final = {**WORDING_WEIGHTS, **VOICE_WEIGHTS, "on_the_point": 0}
# One bad habit colours the whole reply for a customer who already distrusts the caller: a low
# score here limits the total to this floor plus the share of the component that was kept.
# A reply about something else, or a formula that fits any call, earns little however warm.
EMPATHY_CEILINGS: Final = {"respect": 25}
COMPOSURE_CEILINGS: Final = {
    # The words' findings set their own limits by the rubric's levels (see composure.py).
    # A rushed, raised or strained voice is heard before any words are.
    "steady_pace": 55,
    "steady_volume": 50,
    "steady_pitch": 60,
    "fillers_heard": 60,
}
UNSTEADY = 55
OFF_THE_POINT_COMPOSURE = 75
SURE_LIMIT = 15  # composure limits at or below this (hostility, shouting) bind the layer too
FURTHER_HABIT_COST = 5
# Asking for a secret is what the scam the customer fears would do.
SECRET_REQUEST_CEILING = 25
# Warnings come first in evidence and tips: they cost the most trust.
WARNING_COMPONENTS: Final = (
    "safety",
    "respect",
    "relevance",
    "calm_wording",
    "no_shouting",
    "not_defensive",
    "respectful_tone",
    "complete",
)
LATER_WARNINGS: Final = ("relevance", "complete")
# Measured figures, cited in the evidence when outside their calm range.
FIGURE_COMPONENTS: Final = (
    "concise",
    "self_assured",
    "steady_pace",
    "pauses",
    "fillers_heard",
    "steady_volume",
    "steady_pitch",
    "prompt_start",
)
# A component earned at least this well is worth naming as the turn's strength.
STRENGTH_SCORE = 70
# A model sentence must earn the component at least this well to be offered as the example.
EXAMPLE_SCORE = 70
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
MAX_EVIDENCE = 8
MIN_QUOTES = 3
# Below this relevance the evidence opens by saying the reply did not answer the customer.
OFF_TOPIC_NOTE_BELOW = 45
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
    model_replies: Sequence[str] = (),
    baseline: VoiceFeatures | None = None,
    unsure: Sequence[tuple[int, int]] = (),
) -> Evaluation:
    """Scores a reply to the customer's line, quoting the reply's own words as evidence.

    `voice` adds the measured figures of the spoken reply to composure, judged against the
    trainee's own `baseline` when there is one. `model_replies` are replies a trainer wrote for
    this moment of the call: the improvement quotes the sentence of theirs that shows how.
    `unsure` holds (start, end) spans of the reply the recogniser was unsure of (see
    `Transcript.unsure_spans`): nothing is credited, or held against the trainee, from them.
    """
    heard = Reply(reply, tuple(unsure))
    if heard.word_count == 0:
        return _no_reply()
    customer = read_customer(customer_line)
    addressed = addressed_concerns(heard, concerns)
    empathy_parts, composure_parts = _judge_words(heard, customer, addressed)
    words_only = _combine(composure_parts, COMPOSURE_WEIGHTS, COMPOSURE_CEILINGS)
    if voice is not None:
        composure_parts += judge_voice(voice, baseline)
    parts = (*empathy_parts, *composure_parts)
    signals = frozenset().union(*(part.signals for part in parts))
    if not customer.invites_empathy:
        # Not scored on a plain question, but the customer still hears the kindness.
        signals |= feeling_signals(heard)
    empathy = _combine(empathy_parts, empathy_weights(customer), EMPATHY_CEILINGS)
    composure = _combine(composure_parts, COMPOSURE_WEIGHTS, COMPOSURE_CEILINGS)
    rules = RuleView(
        {part.component.name: part.component.score for part in parts}, empathy, words_only, signals
    )
    learned = blended(customer_line, _sure_words(heard), rules, sure_limits(parts))
    if learned is not None:
        # The layer reads the words; what the voice cost the rules' score it costs this one.
        voice_cost = words_only - composure
        empathy, composure = learned["empathy"], max(0, learned["composure"] - voice_cost)
    if "asked_for_secret" in signals:
        empathy = min(empathy, SECRET_REQUEST_CEILING)
    ranked = _ranked_tips(parts)
    return Evaluation(
        empathy=empathy,
        composure=composure,
        evidence=_evidence(heard, parts),
        tips=_tips(ranked),
        empathy_components=tuple(part.component for part in empathy_parts),
        composure_components=tuple(part.component for part in composure_parts),
        signals=signals,
        concerns_addressed=frozenset(addressed),
        strength=_strength(parts),
        improvement=_improvement(ranked, customer_line, tuple(model_replies)),
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
    limits = sorted(part.limit for part in parts if part.limit is not None)
    if limits:
        # Each further habit at or below the unsteady level takes the reply a little lower.
        further = sum(1 for limit in limits[1:] if limit <= UNSTEADY)
        score = min(score, max(0, limits[0] - FURTHER_HABIT_COST * further))
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
    chosen = [
        line
        for part in warnings
        if part.component.score < OFF_TOPIC_NOTE_BELOW and part.component.name == "relevance"
        for line in part.component.evidence[:1]
        if not line.startswith('"')
    ]
    chosen += [f"{quote} - {', '.join(dict.fromkeys(why))}" for quote, why in reasons.items()]
    if not any(line.startswith('"') for line in chosen):
        chosen.append(f'"{heard.quote(0, 1)}" - no empathy technique recognised')
    figures = [
        line
        for part in parts
        if part.component.score < 100 and part.component.name in FIGURE_COMPONENTS
        for line in part.component.evidence
    ]
    # Measured figures out of range keep their place however many quotes there are.
    room = max(MIN_QUOTES, MAX_EVIDENCE - len(figures))
    return tuple((chosen[:room] + figures)[:MAX_EVIDENCE])


def _ranked_tips(parts: Iterable[Judged]) -> list[Judged]:
    """The parts with a tip, the most useful first: warnings, then the biggest shortfall."""
    weights = {**EMPATHY_WEIGHTS, **COMPOSURE_WEIGHTS}

    def priority(part: Judged) -> tuple[bool, bool, int]:
        name = part.component.name
        is_warning = name in WARNING_COMPONENTS and part.component.score < 50
        if name == "relevance":
            is_warning = part.limit is not None  # a formula or a change of subject
        # Safety and respect come before relevance: asking for a PIN is worse than rambling.
        later = name in LATER_WARNINGS
        return (not is_warning, later, -weights[name] * (100 - part.component.score))

    return sorted((part for part in parts if part.tip), key=priority)


def _tips(ranked: Sequence[Judged]) -> tuple[str, ...]:
    tips = tuple(dict.fromkeys(part.tip for part in ranked if part.tip))[:MAX_TIPS]
    return tips or (WELL_DONE_TIP,)


def _strength(parts: Sequence[Judged]) -> str:
    """The best-earned technique, weightiest first, with the words that earned it."""
    weights = {**EMPATHY_WEIGHTS, **COMPOSURE_WEIGHTS}
    earned = [
        part
        for part in parts
        if part.component.score >= STRENGTH_SCORE
        and any(line.startswith('"') for line in part.component.evidence)
    ]
    if not earned:
        return ""
    best = max(earned, key=lambda part: (part.component.score, weights[part.component.name]))
    quote = next(line for line in best.component.evidence if line.startswith('"'))
    return f"{praise(best.component.name)}: {quote.rpartition(' - ')[0]}"


def _improvement(ranked: Sequence[Judged], customer_line: str, models: tuple[str, ...]) -> str:
    """The single most useful change, with a trainer's own sentence showing it when there is one."""
    if not ranked or not ranked[0].tip:
        return WELL_DONE_TIP
    tip = ranked[0].tip
    example = model_example(ranked[0].component.name, customer_line, models)
    return f'{tip} For example: "{example}"' if example else tip


@lru_cache(maxsize=512)
def model_example(component: str, customer_line: str, model_replies: tuple[str, ...]) -> str:
    """The model-reply sentence that best shows a component, "" when none shows it well."""
    best: tuple[int, int, int, str] | None = None
    for model in model_replies:
        for match in _SENTENCE.finditer(model):
            sentence = match.group().strip()
            if not sentence:
                continue
            scored = evaluate(customer_line, sentence)
            found = [
                part.score
                for part in (*scored.empathy_components, *scored.composure_components)
                if part.name == component
            ]
            if not found or found[0] < EXAMPLE_SCORE:
                continue
            candidate = (found[0], scored.empathy, -len(sentence), sentence)
            if best is None or candidate > best:
                best = candidate
    return best[3] if best else ""


def _judge_words(
    heard: Reply, customer: CustomerTurn, addressed: Mapping[str, Hit]
) -> tuple[tuple[Judged, ...], tuple[Judged, ...]]:
    """The empathy components and the composure components heard in the words."""
    relevance = (
        judge_relevance(measure_relevance(heard, customer, addressed))
        if customer.line.word_count
        else None
    )
    empathy_parts = judge_empathy(heard, customer, addressed, relevance)
    composure_parts = judge_wording(heard, customer)
    if relevance is not None and relevance.limit is not None:
        # Reading a script at a customer, or changing the subject, is a wobble they hear.
        composure_parts += (_off_the_point(relevance),)
    return empathy_parts, composure_parts


def rule_limits(
    customer_line: str, reply: str, concerns: Sequence[ConcernCues] = ()
) -> dict[str, int]:
    """The limits the rules' surest findings set on a reply (see `sure_limits`)."""
    heard = Reply(reply)
    if heard.word_count == 0:
        return {}
    empathy_parts, composure_parts = _judge_words(
        heard, read_customer(customer_line), addressed_concerns(heard, concerns)
    )
    return sure_limits((*empathy_parts, *composure_parts))


def sure_limits(parts: Sequence[Judged]) -> dict[str, int]:
    """The limits of the rules' surest findings, which the learned layer may not lift: hostile,
    wording or shouting for composure; a formula or a change of subject for
    empathy."""
    composure = [
        part.limit
        for part in parts
        if part.limit is not None
        and part.limit <= SURE_LIMIT
        and part.component.name in WORDING_WEIGHTS
    ]
    empathy = [
        part.limit
        for part in parts
        if part.limit is not None and part.component.name == "relevance"
    ]
    return {"composure": min(composure, default=100), "empathy": min(empathy, default=100)}


def _sure_words(heard: Reply) -> str:
    """The reply without the words the recogniser was unsure of, for the learned layer."""
    if not heard.unsure:
        return heard.text
    return " ".join(heard.folded.replace("~", " ").split())


def _off_the_point(relevance: Judged) -> Judged:
    return Judged(
        Component("on_the_point", 0, relevance.component.evidence[:1]),
        None,
        limit=OFF_THE_POINT_COMPOSURE,
    )


def _no_reply() -> Evaluation:
    def silent(names: Iterable[str]) -> tuple[Component, ...]:
        return tuple(Component(name, 0, (NO_REPLY,)) for name in names)

    return Evaluation(
        empathy=0,
        composure=0,
        evidence=(NO_REPLY,),
        tips=(NO_REPLY_TIP,),
        improvement=NO_REPLY_TIP,
        empathy_components=silent(EMPATHY_WEIGHTS),
        composure_components=silent(name for name in WORDING_WEIGHTS if name != "boundary"),
    )
