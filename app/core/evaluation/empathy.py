"""Empathy: how far a reply makes a suspicious customer feel heard, respected and safe.

Scored by the techniques customer-service training teaches, never by the mood of the words: a
caring reply to a worried customer is full of "worried", "upsetting" and "scam".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Protocol

from app.core.evaluation import phrases as p
from app.core.evaluation.phrases import Hit, Judged, Reply, Token, quoted
from app.core.evaluation.result import Component

# How much each technique counts towards the empathy score (they add up to 100).
EMPATHY_WEIGHTS: Final = {
    "acknowledges_feeling": 20,
    "validates": 10,
    "active_listening": 15,
    "transparency": 10,
    "next_step": 15,
    "safety": 15,
    "respect": 15,
}

_ACKNOWLEDGES = p.compile_phrases(p.ACKNOWLEDGES_FEELING)
_APOLOGIES = p.compile_phrases(p.APOLOGIES)
_GENERIC = p.compile_phrases(p.GENERIC_UNDERSTANDING)
_VALIDATES = p.compile_phrases(p.VALIDATES)
_REFLECTS = p.compile_phrases(p.REFLECTS)
_EXPLAINS = p.compile_phrases(p.EXPLAINS)
_LIMITS = p.compile_phrases(p.CANNOT_BUT_CAN)
_NEXT_STEPS = p.compile_phrases(p.NEXT_STEPS)
_TIMEFRAMES = p.compile_phrases(p.TIMEFRAMES)
_SECRETS = p.compile_phrases(p.ASKS_FOR_SECRET)
_SAFE_CHECKS = p.compile_phrases(p.SAFE_VERIFICATION)
# Each way of disrespecting the customer: its phrases, how evidence names it, its signal and
# the tip that replaces it.
_DISRESPECT: Final = (
    (
        p.compile_phrases(p.DISMISSES),
        "dismisses the customer",
        "dismissed",
        'Drop "{quote}": it brushes the worry aside. Acknowledge it instead: '
        '"I can hear how worrying this is."',
    ),
    (
        p.compile_phrases(p.BLAMES),
        "blames the customer",
        "blamed",
        'Don\'t blame the customer ("{quote}"): say what you will do now.',
    ),
    (
        p.compile_phrases(p.DEFENSIVE),
        "sounds defensive",
        "defensive",
        'Leave out "{quote}": own the problem instead: "Let me sort this out for you."',
    ),
    # Sarcasm and hostility get their tip from composure's calm wording.
    (p.compile_phrases(p.SARCASTIC), "sounds sarcastic", "sarcastic", ""),
    (p.compile_phrases(p.HOSTILE), "hostile wording", "hostile", ""),
    (
        p.compile_phrases(p.PRESSURES),
        "puts pressure on the customer",
        "",
        'Remove the pressure ("{quote}"): a genuine caller gives the customer time to check.',
    ),
)
EXAMPLE_ACKNOWLEDGEMENT = '"I can hear how worrying this is."'


class ConcernCues(Protocol):
    """A worry the customer may raise, and the words that show a reply dealt with it."""

    @property
    def id(self) -> str: ...

    @property
    def cues(self) -> Sequence[str]: ...


def addressed_concerns(reply: Reply, concerns: Sequence[ConcernCues]) -> dict[str, Hit]:
    """The concerns whose cue words occur in the reply, inflected or not, with where."""
    found: dict[str, Hit] = {}
    for concern in concerns:
        for cue in concern.cues:
            hit = find_cue(reply, cue)
            if hit is not None:
                found[concern.id] = hit
                break
    return found


def find_cue(reply: Reply, cue: str) -> Hit | None:
    """Where the cue's words occur in a row ("block card" is found in "blocked the card" only
    as "blocked card"; each cue word may be inflected)."""
    cue_stems = [token.stem for token in p.tokenise(p.fold(cue))]
    if not cue_stems:
        return None
    for first in range(len(reply.tokens) - len(cue_stems) + 1):
        window = reply.tokens[first : first + len(cue_stems)]
        pairs = zip(window, cue_stems, strict=True)
        if all(p.same_word(token.stem, wanted) for token, wanted in pairs):
            start, end = window[0].start, window[-1].end
            return Hit(start, end, 0, reply.quote(start, end))
    return None


def judge_empathy(
    reply: Reply, customer: Reply, addressed: Mapping[str, Hit]
) -> tuple[Judged, ...]:
    """Every empathy component of a reply to the customer's line."""
    return (
        _acknowledges_feeling(reply),
        _validates(reply),
        _active_listening(reply, customer, addressed),
        _transparency(reply),
        _next_step(reply),
        _safety(reply),
        _respect(reply),
    )


def _acknowledges_feeling(reply: Reply) -> Judged:
    name = "acknowledges_feeling"
    named = reply.find(_ACKNOWLEDGES)
    apologies = reply.find(_APOLOGIES)
    signals = frozenset({"apologised"} if apologies else set())
    if named:
        evidence = tuple(quoted(hit, "acknowledges the feeling") for hit in named[:2])
        return Judged(Component(name, 100, evidence), None, signals | {"acknowledged"})
    if apologies:
        return Judged(
            Component(name, 60, (quoted(apologies[0], "apologises, names no feeling"),)),
            f"Name the feeling as well as apologising: {EXAMPLE_ACKNOWLEDGEMENT}",
            signals,
        )
    generic = reply.find(_GENERIC)
    if generic:
        return Judged(
            Component(name, 30, (quoted(generic[0], "general understanding, no feeling named"),)),
            f'Go past "I understand": name the feeling, e.g. {EXAMPLE_ACKNOWLEDGEMENT}',
        )
    return Judged(
        Component(name, 0, ("no acknowledgement of how the customer feels",)),
        f"Start by naming the feeling: {EXAMPLE_ACKNOWLEDGEMENT}",
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


def _is_content(token: Token) -> bool:
    return token.text not in p.STOPWORDS and (token.text.isdigit() or len(token.text) >= 3)


def _active_listening(reply: Reply, customer: Reply, addressed: Mapping[str, Hit]) -> Judged:
    """Credit for reflecting this customer's own concern: a stock "I understand" earns none."""
    wanted = {token.stem: token.text for token in customer.tokens if _is_content(token)}
    echoed: dict[str, Token] = {}
    for token in filter(_is_content, reply.tokens):
        match = next((s for s in wanted if s not in echoed and p.same_word(token.stem, s)), None)
        if match is not None:
            echoed[match] = token
    reflections = reply.find(_REFLECTS)
    score = min(100, 35 * len(echoed) + 40 * len(addressed) + 30 * len(reflections))
    evidence = [quoted(hit, "reflects what they said") for hit in reflections[:1]]
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


def _respect(reply: Reply) -> Judged:
    lost = 0
    evidence: list[str] = []
    signals: set[str] = set()
    worst: tuple[int, str] | None = None
    for phrases, label, signal, tip in _DISRESPECT:
        for hit in reply.find(phrases):
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


def _unique(evidence: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(evidence))
