"""Empathy: how far a reply makes a suspicious customer feel heard, respected and safe.

Scored by the techniques customer-service training teaches, never by the mood of the words: a
caring reply to a worried customer is full of "worried", "upsetting" and "scam".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from app.core.evaluation import phrases as p
from app.core.evaluation import tone as t
from app.core.evaluation.customer import CustomerTurn, is_content
from app.core.evaluation.reading import (
    Hit,
    Judged,
    Reply,
    Token,
    compile_phrases,
    quoted,
    same_word,
)
from app.core.evaluation.respect import judge_respect
from app.core.evaluation.result import Component

# How much each technique counts towards the empathy score (they add up to 100). When the
# customer only asked a plain question, the feeling-related parts are left out of the sum.
EMPATHY_WEIGHTS: Final = {
    "acknowledges_feeling": 15,
    "validates": 10,
    "apology": 5,
    "active_listening": 15,
    "answers_question": 10,
    "transparency": 10,
    "next_step": 15,
    "checks_understanding": 5,
    "safety": 5,
    "respect": 10,
    "relevance": 10,
}
# Only where the customer's line carries a feeling, a suspicion or a complaint.
FEELING_COMPONENTS: Final = ("acknowledges_feeling", "validates", "apology")
APOLOGIES_BEFORE_GROVELLING = 2
RELEVANT_ENOUGH = 60  # relevance from which an answer counts in full

_ACKNOWLEDGES = compile_phrases(p.ACKNOWLEDGES_FEELING)
_APOLOGIES = compile_phrases(p.APOLOGIES)
_APOLOGY_WORDS = compile_phrases((r"sorry|apologi[sz]e\w*|apologies",))
_GENERIC = compile_phrases(p.GENERIC_UNDERSTANDING)
_VALIDATES = compile_phrases(p.VALIDATES)
_REFLECTS = compile_phrases(p.REFLECTS)
_EXPLAINS = compile_phrases(p.EXPLAINS)
_LIMITS = compile_phrases(p.CANNOT_BUT_CAN)
_NEXT_STEPS = compile_phrases(p.NEXT_STEPS)
_TIMEFRAMES = compile_phrases(p.TIMEFRAMES)
_SECRETS = compile_phrases(p.ASKS_FOR_SECRET)
_SAFE_CHECKS = compile_phrases(p.SAFE_VERIFICATION)
_CHECKS = compile_phrases(p.CHECKS_UNDERSTANDING)
_SPECIFICS = compile_phrases(p.SPECIFICS)
_PLAIN_ANSWER = compile_phrases(p.PLAIN_ANSWER_START)
_EVASIONS = compile_phrases(p.EVASIONS)
_GROVELLING = compile_phrases(p.GROVELLING)
_SYMPATHY = compile_phrases(t.SYMPATHY)
_EXPLORING = compile_phrases(t.EXPLORING)
EXAMPLE_ACKNOWLEDGEMENT = '"I can hear how worrying this is."'


def empathy_weights(customer: CustomerTurn) -> Mapping[str, int]:
    """For a plain question, the weight of the feeling techniques goes to answering it."""
    if customer.invites_empathy:
        return EMPATHY_WEIGHTS
    moved = sum(EMPATHY_WEIGHTS[name] for name in FEELING_COMPONENTS)
    return {**EMPATHY_WEIGHTS, "answers_question": EMPATHY_WEIGHTS["answers_question"] + moved}


def judge_empathy(
    reply: Reply,
    customer: CustomerTurn,
    addressed: Mapping[str, Hit],
    relevance: Judged | None = None,
) -> tuple[Judged, ...]:
    """Every empathy component that applies to this reply to this customer line.

    A reply cut off mid-sentence is judged on what it said: its unfinished last sentence
    promises and explains nothing. An answer only counts as far as the reply is relevant.
    """
    said = _finished_part(reply)
    judged = []
    if customer.invites_empathy:
        judged += [_acknowledges_feeling(reply), _validates(reply), _apology(reply)]
    judged.append(_active_listening(reply, customer, addressed))
    if customer.asks_question:
        answer = _answers_question(said, customer)
        if relevance is not None:
            answer = _scaled(answer, relevance.component.score)
        judged.append(answer)
    judged += [
        _transparency(said),
        _next_step(said),
        _checks_understanding(reply),
        _safety(reply),
        judge_respect(reply),
    ]
    if relevance is not None:
        judged.append(relevance)
    return tuple(judged)


def _finished_part(reply: Reply) -> Reply:
    """The reply up to its unfinished last sentence, when it was cut off."""
    if not reply.is_cut_off:
        return reply
    sentences = reply.sentences()
    if len(sentences) < 2:
        return Reply("")
    cut = sentences[-1][0]
    return Reply(reply.text[:cut], tuple((s, min(e, cut)) for s, e in reply.unsure if s < cut))


def _scaled(part: Judged, relevance: int) -> Judged:
    """An answer earns only as much as it is about what was asked (the weather is no answer)."""
    share = min(1.0, relevance / RELEVANT_ENOUGH)
    if share >= 1.0:
        return part
    score = round(part.component.score * share)
    evidence = part.component.evidence
    if score < part.component.score:
        evidence = ("not an answer to what they asked", *evidence)
    tip = part.tip or "Answer the question they asked, not a different one."
    return Judged(Component(part.component.name, score, evidence), tip, part.signals)


def feeling_signals(reply: Reply) -> frozenset[str]:
    """What the feeling techniques signal, for turns where they are not scored."""
    parts = (_acknowledges_feeling(reply), _validates(reply), _apology(reply))
    return frozenset().union(*(part.signals for part in parts))


def _acknowledges_feeling(reply: Reply) -> Judged:
    name = "acknowledges_feeling"
    named = reply.find(_ACKNOWLEDGES)
    if named:
        evidence = tuple(quoted(hit, "acknowledges the feeling") for hit in named[:2])
        return Judged(Component(name, 100, evidence), None, frozenset({"acknowledged"}))
    sympathy = reply.find(_SYMPATHY)
    if sympathy:
        evidence = tuple(quoted(hit, "shows sympathy") for hit in sympathy[:2])
        return Judged(Component(name, 100, evidence), None, frozenset({"acknowledged"}))
    validated = reply.find(_VALIDATES)
    if validated:
        return Judged(
            Component(name, 50, (quoted(validated[0], "validates, names no feeling"),)),
            f"Name the feeling too: {EXAMPLE_ACKNOWLEDGEMENT}",
        )
    generic = reply.find(_GENERIC)
    if generic:
        return Judged(
            Component(name, 35, (quoted(generic[0], "general understanding, no feeling named"),)),
            f'Go past "I understand": name the feeling, e.g. {EXAMPLE_ACKNOWLEDGEMENT}',
        )
    return Judged(
        Component(name, 0, ("no acknowledgement of how the customer feels",)),
        f"Start by naming the feeling: {EXAMPLE_ACKNOWLEDGEMENT}",
    )


def _apology(reply: Reply) -> Judged:
    """One sincere apology where something went wrong; several sound like panic, not care."""
    name = "apology"
    apologies = reply.find(_APOLOGIES)
    said = len(reply.find(_APOLOGY_WORDS))
    grovelling = reply.find(_GROVELLING)
    if said > APOLOGIES_BEFORE_GROVELLING or grovelling:
        evidence = [f"apologised {said} times"] if said > APOLOGIES_BEFORE_GROVELLING else []
        evidence += [quoted(hit, "puts yourself down") for hit in grovelling[:1]]
        return Judged(
            Component(name, 20, tuple(evidence)),
            "Apologise once, then act: \"I'm sorry about this. Here's what I'll do.\"",
            frozenset({"apologised"}),
        )
    if apologies or said:
        said_sorry = quoted(apologies[0], "apologises") if apologies else "says sorry"
        return Judged(Component(name, 100, (said_sorry,)), None, frozenset({"apologised"}))
    return Judged(
        Component(name, 50, ("no apology",)),
        "Where something went wrong for them, say sorry once: \"I'm sorry you've had this worry.\"",
    )


def _validates(reply: Reply) -> Judged:
    hits = reply.find(_VALIDATES)
    if hits:
        evidence = tuple(quoted(hit, "validates their caution") for hit in hits[:2])
        return Judged(Component("validates", 100, evidence), None, frozenset({"validated"}))
    return Judged(
        Component("validates", 0, ("their caution is not validated",)),
        'Tell them their caution is right: "You\'re right to be careful."',
    )


def _active_listening(reply: Reply, customer: CustomerTurn, addressed: Mapping[str, Hit]) -> Judged:
    """Credit for reflecting this customer's own concern: a stock "I understand" earns none."""
    wanted = customer.content_words
    echoed: dict[str, Token] = {}
    for token in filter(is_content, reply.tokens):
        match = next((s for s in wanted if s not in echoed and same_word(token.stem, s)), None)
        if match is not None:
            echoed[match] = token
    reflections = reply.find(_REFLECTS)
    exploring = reply.find(_EXPLORING)
    score = min(
        100,
        35 * len(echoed) + 40 * len(addressed) + 30 * len(reflections) + 50 * len(exploring[:2]),
    )
    evidence = [quoted(hit, "asks about their situation") for hit in exploring[:1]]
    evidence += [quoted(hit, "reflects what they said") for hit in reflections[:1]]
    evidence += [quoted(hit, "addresses their concern") for hit in list(addressed.values())[:2]]
    evidence += [
        quoted(Hit(t.start, t.end, 0, reply.quote(t.start, t.end)), "uses the customer's words")
        for t in list(echoed.values())[:2]
    ]
    missing = sorted(
        (text for s, text in wanted.items() if s not in echoed),
        key=lambda text: (not text.isdigit(), -len(text)),
    )[:3]
    tip = None
    if score < 70 and missing:
        examples = ", ".join(f'"{text}"' for text in missing)
        tip = (
            f"Reflect their concern in their own words (e.g. {examples}), "
            'not a general "I understand".'
        )
    elif score < 70:
        tip = 'Reflect their concern back: "So this is about a payment you didn\'t make."'
    if not evidence:
        generic = reply.find(_GENERIC)
        evidence.append(
            'only a general "I understand": nothing the customer said is reflected'
            if generic
            else "nothing the customer said is reflected"
        )
    return Judged(Component("active_listening", score, _unique(evidence)), tip)


def _answers_question(reply: Reply, customer: CustomerTurn) -> Judged:
    """A question deserves an answer with substance: a figure, a time, a place to look."""
    name = "answers_question"
    specifics = reply.find(_SPECIFICS)
    if customer.asks_yes_no:
        # "No, never." answers "Do you ever ...?" when it opens the reply.
        plain = [hit for hit in reply.find(_PLAIN_ANSWER) if hit.start <= 1]
        specifics = plain[:1] + specifics
    substance = sum(1 for token in reply.tokens if is_content(token))
    evasions = reply.find(_EVASIONS)
    score = min(100, 25 * len(specifics) + 8 * substance) - sum(hit.weight for hit in evasions)
    score = max(0, score)
    evidence = [quoted(hit, "dodges the question") for hit in evasions[:1]]
    evidence += [quoted(hit, "gives a specific answer") for hit in specifics[:2]]
    if not specifics:
        evidence.append("no specific answer: no figure, time or place to look")
    tip = None
    if score < 70:
        tip = (
            "Answer the question they asked, with a specific: a time, an amount, where to look "
            '("within five working days", "the number on the back of your card").'
        )
    return Judged(Component(name, score, _unique(evidence)), tip)


def _transparency(reply: Reply) -> Judged:
    explains = reply.find(_EXPLAINS)
    limits = reply.find(_LIMITS)
    tip = (
        'Explain why, or what happens next: "It was flagged because ..." or '
        '"I can\'t ..., but I can ..."'
    )
    if not explains and not limits:
        absent = ("nothing explained: no reason, no what-next",)
        return Judged(Component("transparency", 0, absent), tip)
    score = 100 if limits or len(explains) >= 2 else 70
    evidence = [quoted(hit, "states a limit and what can be done") for hit in limits[:1]]
    evidence += [quoted(hit, "explains") for hit in explains[:2]]
    signals = {"transparent", "boundary"} if limits else {"transparent"}
    return Judged(
        Component("transparency", score, _unique(evidence)),
        tip if score < 100 else None,
        frozenset(signals),
    )


def _next_step(reply: Reply) -> Judged:
    steps = reply.find(_NEXT_STEPS)
    if not steps:
        return Judged(
            Component("next_step", 0, ("no next step offered",)),
            "End with a concrete step, who does it and by when: \"I'll block the card now and "
            'call you back by five."',
        )
    best = max(steps, key=lambda hit: hit.weight)
    sentences = [reply.sentence_bounds(step.start) for step in steps]
    timed = [
        hit
        for hit in reply.find(_TIMEFRAMES)
        if any(start <= hit.start < end for start, end in sentences)
    ]
    score = min(100, best.weight + (30 if timed else 0))
    evidence = [quoted(best, "offers a next step")]
    evidence += [quoted(hit, "says when") for hit in timed[:1]]
    tip = None
    if not timed:
        tip = (
            f'Say when: add a time to "{best.quote}", e.g. "within ten minutes" or "by five today".'
        )
    elif best.weight < 70:
        tip = (
            'Make the step concrete and your own: "I\'ll block the card now", '
            'not "we\'ll look into it".'
        )
    return Judged(Component("next_step", score, _unique(evidence)), tip, frozenset({"next_step"}))


def _checks_understanding(reply: Reply) -> Judged:
    hits = reply.find(_CHECKS)
    if hits:
        return Judged(
            Component("checks_understanding", 100, (quoted(hits[0], "invites their questions"),))
        )
    return Judged(
        Component("checks_understanding", 0, ("no check that it made sense to them",)),
        'Check it landed: "Does that make sense?" or "What else would you like to know?"',
    )


def _safety(reply: Reply) -> Judged:
    """A suspicious customer is right to refuse secrets: asking for one confirms the fear."""
    mentions = reply.find(_SECRETS)
    asks = [hit for hit in mentions if not reply.is_negated(hit.start)]
    if asks:
        return Judged(
            Component("safety", 0, tuple(quoted(h, "asks for a secret") for h in asks[:2])),
            "Never ask for a PIN, password, CVV or full card number: say \"I'll never ask for "
            'your PIN" and offer "call us on the number on the back of your card".',
            frozenset({"asked_for_secret"}),
        )
    promises = [hit for hit in mentions if reply.is_negated(hit.start)]
    safe_checks = reply.find(_SAFE_CHECKS)
    score = min(100, 50 + (25 if promises else 0) + (50 if safe_checks else 0))
    evidence = [quoted(hit, "says what will never be asked") for hit in promises[:1]]
    evidence += [quoted(hit, "offers a safe way to check the call") for hit in safe_checks[:1]]
    tip = None
    if not safe_checks:
        evidence.append("no safe way to check the call is genuine offered")
        tip = (
            "Offer a safe way to check it's really us: "
            '"Hang up and call the number on the back of your card."'
        )
    signals = frozenset({"boundary"} if promises else set())
    return Judged(Component("safety", score, _unique(evidence)), tip, signals)


def _unique(evidence: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(evidence))
