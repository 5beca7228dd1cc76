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
from app.core.evaluation import phrases as p
from app.core.evaluation import semantic
from app.core.evaluation import tone as t
from app.core.evaluation.customer import CustomerTurn, is_content
from app.core.evaluation.reading import Hit, Judged, Reply, compile_phrases, same_word
from app.core.evaluation.result import Component

_STOCK = compile_phrases(
    (*t.STOCK, *p.ACKNOWLEDGES_FEELING, *p.VALIDATES, *p.APOLOGIES, *p.GENERIC_UNDERSTANDING)
)
# Meaning similarity (cosine of mean word vectors) of a reply with no bearing on the line, and
# of one that plainly answers it: measured on replies to the scenarios' customer lines.
UNRELATED_SIMILARITY = 0.10
ANSWERING_SIMILARITY = 0.38
POINTS_PER_ECHO = 30  # each of the customer's own content words the substance repeats
POINTS_PER_CONCERN = 45  # each of the scenario's concerns the reply deals with
# Below this, a reply that is mostly stock phrases is a formula; one that is not is off-topic.
FORMULA_BELOW = 45
OFF_TOPIC_BELOW = 30
STOCK_SHARE_FOR_FORMULA = 0.35


@dataclass(frozen=True)
class Relevance:
    """How far the reply answers this customer (0-100), and why."""

    score: int
    stock_share: float  # share of the reply's words inside stock phrases
    best_sentence: str  # the sentence that answers the customer best ("" when none does)
    echoed: tuple[str, ...]  # the customer's words the reply repeats, as the reply says them

    @property
    def is_formula(self) -> bool:
        return self.score < FORMULA_BELOW and self.stock_share >= STOCK_SHARE_FOR_FORMULA

    @property
    def is_off_topic(self) -> bool:
        return self.score < OFF_TOPIC_BELOW and not self.is_formula


def measure_relevance(
    reply: Reply, customer: CustomerTurn, addressed: Mapping[str, Hit]
) -> Relevance:
    """Relevance of the reply's substance (its words outside stock phrases) to the line."""
    stock = reply.find(_STOCK)
    in_stock = [any(h.start <= tok.start < h.end for h in stock) for tok in reply.tokens]
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
    score = max(0, min(100, max(lexical, meaning)))
    return Relevance(score, stock_share, best_sentence, tuple(echoed.values()))


def _closest_sentence(reply: Reply, customer: CustomerTurn, in_stock: list[bool]) -> tuple[str, int]:
    """The reply's sentence closest in meaning to the customer's line, and its points."""
    best_text, best_points = "", 0
    line = customer.line.text
    for start, end in reply.sentences():
        words = [
            reply.folded[tok.start : tok.end]
            for tok, stocked in zip(reply.tokens, in_stock, strict=True)
            if start <= tok.start < end and not stocked
        ]
        if not words:
            continue
        similarity = semantic.similarity(" ".join(words), line)
        if similarity is None:
            return "", 0
        span = (similarity - UNRELATED_SIMILARITY) / (ANSWERING_SIMILARITY - UNRELATED_SIMILARITY)
        points = round(100 * max(0.0, min(1.0, span)))
        if points > best_points:
            best_text, best_points = reply.quote(start, end), points
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
    return Judged(
        Component("relevance", relevance.score, tuple(dict.fromkeys(evidence))),
        tip,
        frozenset(signals),
    )

