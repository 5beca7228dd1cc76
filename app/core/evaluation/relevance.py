"""Relevance: does the reply answer THIS customer, or would it fit any call?

"I can hear how worrying this is, you're right to be careful, I'll sort it today" can be said to
every caller. A trainer gives it little, and gives less still to a polite reply about the
weather. The reply's stock phrases are set aside; what is left (its substance) is compared with
the customer's line: by the customer's own words it repeats, by the scenario's concerns it deals
with, and by meaning, with static word embeddings, so "I'll dispute the transaction" answers
"a payment I never made". Each sentence is compared on its own, and the one that answers best
is quoted as evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from app.core.evaluation import learned, semantic
from app.core.evaluation import phrases as p
from app.core.evaluation import tone as t
from app.core.evaluation.customer import CustomerTurn, is_content
from app.core.evaluation.learned import Vector
from app.core.evaluation.other_callers import OTHER_CALLERS
from app.core.evaluation.reading import (
    MAX_QUOTE_WORDS,
    Hit,
    Judged,
    Reply,
    Token,
    compile_phrases,
    same_word,
)
from app.core.evaluation.result import Component

# Stock phrases: the formula list and the acknowledgements, validations and apologies that
# empathy looks for anyway (searched once for both).
_SYMPATHY = compile_phrases(t.SYMPATHY)
_STOCK = tuple(
    compile_phrases(entries)
    for entries in (
        t.STOCK,
        p.ACKNOWLEDGES_FEELING,
        p.VALIDATES,
        p.APOLOGIES,
        p.GENERIC_UNDERSTANDING,
    )
)
# A reply's substance fits this customer when it is closer in meaning to their line than to
# this share of other customers' lines: none of it up to UNRELATED_SHARE, all of it from
# ANSWERING_SHARE. Below UNRELATED_SIMILARITY (cosine) it has no bearing on the line at all.
UNRELATED_SHARE = 0.60
ANSWERING_SHARE = 0.92
UNRELATED_SIMILARITY = 0.05
# Word by word: the customer's best-covered COVERED_WORDS words, by cosine with the reply's.
COVERED_WORDS = 3
UNCOVERED = 0.20
COVERED = 0.50
SAME_LINE = 0.75  # another caller's line this close to the customer's says the same thing
POINTS_PER_ECHO = 30  # each of the customer's own content words the substance repeats
POINTS_PER_CONCERN = 45  # each of the scenario's concerns the reply deals with
# A customer line with fewer content words than this says too little to judge relevance by.
FEW_CONTENT_WORDS = 3
BENEFIT_OF_DOUBT = 60
# Below this, a reply that is mostly stock phrases is a formula; one that is not is off-topic.
FORMULA_BELOW = 45
OFF_TOPIC_BELOW = 30
STOCK_SHARE_FOR_FORMULA = 0.35
# The learned model gives the chance the reply answers the customer; below this (chosen by
# author-split cross-validation on the tuning half) it does not.
LEARNED_IRRELEVANT_BELOW = 30
LEARNED_SHARE = 0.5
# The most empathy such a reply earns, by the rubric: a formula at most level 2, a reply about
# something else level 1.
FORMULA_LIMIT = 35
OFF_TOPIC_LIMIT = 20


@dataclass(frozen=True)
class Relevance:
    """How far the reply answers this customer (0-100), and why."""

    score: int
    stock_share: float  # share of the reply's words inside stock phrases
    best_sentence: str  # the sentence that answers the customer best ("" when none does)
    echoed: tuple[str, ...]  # the customer's words the reply repeats, as the reply says them
    warm: bool = False  # it holds stock empathy or sympathy

    learned: bool = False  # judged by the learned model rather than the rules' thresholds

    @property
    def is_formula(self) -> bool:
        below = LEARNED_IRRELEVANT_BELOW if self.learned else FORMULA_BELOW
        return self.score < below and (self.stock_share >= STOCK_SHARE_FOR_FORMULA or self.warm)

    @property
    def is_off_topic(self) -> bool:
        below = LEARNED_IRRELEVANT_BELOW if self.learned else OFF_TOPIC_BELOW
        return self.score < below and not self.is_formula


def _inside_any(hits: list[Hit], positions: list[int]) -> list[bool]:
    """For each position (ascending), whether a hit covers it. One sweep, not a scan of every
    hit per token: both grow with the reply, and a 60 KB reply took seconds that way."""
    spans = sorted((hit.start, hit.end) for hit in hits)
    inside: list[bool] = []
    taken, reach = 0, -1
    for position in positions:
        while taken < len(spans) and spans[taken][0] <= position:
            reach = max(reach, spans[taken][1])
            taken += 1
        inside.append(position < reach)
    return inside


def measure_relevance(
    reply: Reply, customer: CustomerTurn, addressed: Mapping[str, Hit]
) -> Relevance:
    """Relevance of the reply's substance (its words outside stock phrases) to the line."""
    stock = [hit for phrases in _STOCK for hit in reply.find(phrases)]
    in_stock = _inside_any(stock, [tok.start for tok in reply.tokens])
    stock_share = sum(in_stock) / len(in_stock) if in_stock else 0.0
    substance = [tok for tok, stocked in zip(reply.tokens, in_stock, strict=True) if not stocked]
    echoed: dict[str, str] = {}
    for token in filter(is_content, substance):
        for stem in customer.content_words:
            if stem not in echoed and same_word(token.stem, stem):
                echoed[stem] = reply.text[token.start : token.end]
                break
    lexical = POINTS_PER_ECHO * len(echoed) + POINTS_PER_CONCERN * len(addressed)
    best_sentence, meaning = _closest_sentence(reply, customer, in_stock)
    if meaning:
        # Two views of meaning, averaged: the closest part of the reply, and how well its words
        # cover the customer's own ("transaction" covers "payment"; "great rate" covers none).
        meaning = (meaning + _covered(substance, customer)) // 2
    score = max(lexical, meaning)
    if len(customer.content_words) < FEW_CONTENT_WORDS and stock_share < STOCK_SHARE_FOR_FORMULA:
        # "What's the next step then?" says too little to tell an answer from a change of subject.
        score = max(score, BENEFIT_OF_DOUBT)
    score = max(0, min(100, score))
    warm = bool(stock) or bool(reply.find(_SYMPATHY))
    judged = learned.relevance(
        relevance_features(reply, customer, score, len(addressed), len(echoed), stock_share)
    )
    if judged is not None:
        # The learned judgement of relevance, when shipped, is weighed with the rules' own:
        # each alone is wrong more often than the two together.
        score = round(LEARNED_SHARE * 100 * judged + (1 - LEARNED_SHARE) * score)
    return Relevance(
        score, stock_share, best_sentence, tuple(echoed.values()), warm, judged is not None
    )


def relevance_features(
    reply: Reply,
    customer: CustomerTurn,
    score: int,
    concerns: int,
    echoes: int,
    stock_share: float,
) -> Vector | None:
    """What the learned judgement of relevance reads: the rules' view, and the meaning of the
    reply beside the meaning of the line, dimension by dimension."""
    said, heard = semantic.embed(_normalised(reply)), semantic.embed(_normalised(customer.line))
    if said is None or heard is None:
        return None
    rules = [score / 100, concerns, echoes, float(said @ heard), stock_share]
    return np.concatenate([rules, said * heard, np.abs(said - heard)]).astype(np.float64)


# Recognisers drop apostrophes: "ill" is "I'll" in a reply, not "unwell".
_CONTRACTIONS: Final = {
    "ill": "i'll",
    "im": "i'm",
    "ive": "i've",
    "id": "i'd",
    "youre": "you're",
    "youve": "you've",
    "dont": "don't",
    "cant": "can't",
    "wont": "won't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "thats": "that's",
    "theres": "there's",
    "weve": "we've",
    "theyre": "they're",
}


def _sentence_quote(reply: Reply, start: int, end: int) -> str:
    """A sentence in the reply's own words, its first dozen words when it runs on."""
    inside = [token for token in reply.tokens if start <= token.start < end]
    if len(inside) > MAX_QUOTE_WORDS:
        end = inside[MAX_QUOTE_WORDS - 1].end
    return reply.quote(start, end)


def _spelled(word: str) -> str:
    return _CONTRACTIONS.get(word, word)


def _normalised(text: Reply) -> str:
    """The words as every side is compared: lower case, numbers as digits, apostrophes back."""
    return " ".join(_spelled(token.text) for token in text.tokens)


def _covered(substance: list[Token], customer: CustomerTurn) -> int:
    """Points for the customer's words that some word of the reply is close to in meaning:
    the mean closeness of the best-covered few."""
    theirs = [semantic.embed(word) for word in customer.content_words.values()]
    ours = [semantic.embed(_spelled(token.text)) for token in substance if is_content(token)]
    their_vectors = [vector for vector in theirs if vector is not None]
    our_vectors = [vector for vector in ours if vector is not None]
    if not their_vectors or not our_vectors:
        return 0
    closeness = np.array(our_vectors) @ np.array(their_vectors).T
    best = float(np.sort(closeness.max(axis=0))[::-1][:COVERED_WORDS].mean())
    span = (best - UNCOVERED) / (COVERED - UNCOVERED)
    return round(100 * max(0.0, min(1.0, span)))


_OTHER_CALLERS: list[npt.NDArray[np.float32]] = []


def _other_callers() -> npt.NDArray[np.float32] | None:
    """The other callers' lines in meaning, worked out once the embeddings are there."""
    if not _OTHER_CALLERS:
        vectors = [semantic.embed(_normalised(Reply(line))) for line in OTHER_CALLERS]
        found = [vector for vector in vectors if vector is not None]
        if not found:
            return None
        _OTHER_CALLERS.append(np.array(found))
    return _OTHER_CALLERS[0]


def _closest_sentence(
    reply: Reply, customer: CustomerTurn, in_stock: list[bool]
) -> tuple[str, int]:
    """The part of the reply that fits this customer best, and its points.

    Each sentence's substance (and the whole substance) is compared with the customer's line
    and with the lines of other customers: it fits this one when it is closer to it than to
    most of the others. A formula is about as close to every line, so it fits none of them.
    """
    line = semantic.embed(_normalised(customer.line))
    others = _other_callers()
    if line is None or others is None:
        return "", 0
    # Another caller saying nearly the same thing is no yardstick for this one.
    others = others[others @ line < SAME_LINE]
    parts: list[tuple[str, str]] = []
    for start, end in reply.sentences():
        kept = [
            tok
            for tok, stocked in zip(reply.tokens, in_stock, strict=True)
            if start <= tok.start < end and not stocked
        ]
        if kept:
            # Quoted from its first word of substance: the stock phrases are not what answered.
            quote = _sentence_quote(reply, kept[0].start, end)
            parts.append((quote, " ".join(_spelled(tok.text) for tok in kept)))
    if len(parts) > 1:
        parts.append(("", " ".join(said for _, said in parts)))
    best_text, best_points = "", 0
    for quote, said in parts:
        vector = semantic.embed(said)
        if vector is None:
            continue
        closeness = float(vector @ line)
        if closeness < UNRELATED_SIMILARITY or not len(others):
            continue
        # The share of other callers' lines it is less close to than to this one.
        beaten = float(np.mean(others @ vector < closeness))
        span = (beaten - UNRELATED_SHARE) / (ANSWERING_SHARE - UNRELATED_SHARE)
        points = round(100 * max(0.0, min(1.0, span)))
        if points > best_points:
            best_text, best_points = quote or best_text, points
    return best_text, best_points


def judge_relevance(relevance: Relevance) -> Judged:
    """The `relevance` component, with the sentence or words that tie the reply to the line."""
    evidence: list[str] = []
    if relevance.best_sentence and relevance.score >= OFF_TOPIC_BELOW:
        evidence.append(f'"{relevance.best_sentence}" - answers what they said')
    evidence += [f'"{word}" - picks up their words' for word in relevance.echoed[:2]]
    signals: set[str] = set()
    tip = None
    if relevance.is_formula:
        signals.add("formula")
        evidence.insert(0, "stock phrases that would fit any call: nothing about what they said")
        tip = (
            "Drop the script: answer what this customer just said, in their terms "
            "(their amount, their parcel, their bill), then say what you will do about it."
        )
    elif relevance.is_off_topic:
        signals.add("off_topic")
        evidence.insert(0, "about something else: nothing answers what they said")
        tip = "Answer what the customer just said before anything else."
    elif relevance.score < 70:
        tip = "Tie the reply to their situation: repeat what they told you and answer it directly."
    if not evidence:
        evidence.append("little of it is about what they said")
    limit = (
        FORMULA_LIMIT
        if relevance.is_formula
        else OFF_TOPIC_LIMIT
        if relevance.is_off_topic
        else None
    )
    return Judged(
        Component("relevance", relevance.score, tuple(dict.fromkeys(evidence))),
        tip,
        frozenset(signals),
        limit,
    )
