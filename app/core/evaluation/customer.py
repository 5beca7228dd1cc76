"""What the customer's line asks of the reply: empathy, a plain answer, or a calm boundary.

A plain factual question ("How long will the refund take?") is best met with a plain answer; it
is no failure to leave out "I can hear how worrying this is". A line full of worry, suspicion or
complaint is an opportunity for empathy, and insults call for a respectful boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.core.evaluation import phrases as p
from app.core.evaluation.reading import Reply, Token, compile_phrases

_FEELING = compile_phrases(p.CUSTOMER_FEELING)
_ABUSE = compile_phrases(p.CUSTOMER_ABUSE)
_QUESTION_START = re.compile(
    r"(?:^|[.!?]\s+|,\s*)(?:so |and |but |then |right,? |fine,? |ok(?:ay)?,? )?"
    r"(?:what|when|where|which|who|why|how|" + p.YES_NO_QUESTION + r")",
)
# A plain question is short: a longer line nearly always carries a complaint or a worry.
PLAIN_QUESTION_WORDS = 14
_YES_NO_START = re.compile(r"(?:^|[.!?]\s+)(?:so |and |but )?" + p.YES_NO_QUESTION)


@dataclass(frozen=True)
class CustomerTurn:
    """The customer's line, read once for every reply to it."""

    line: Reply
    asks_question: bool
    asks_yes_no: bool
    invites_empathy: bool
    is_abusive: bool
    content_words: dict[str, str]  # stem -> the word as the customer said it


@lru_cache(maxsize=256)
def read_customer(line: str) -> CustomerTurn:
    """Reads a customer line (the same line is usually scored against many replies)."""
    heard = Reply(line)
    folded = heard.folded
    abusive = bool(heard.find(_ABUSE))
    # An empty line (a reply scored on its own) is read as the usual, worried customer.
    feeling = bool(heard.find(_FEELING)) or "!" in line
    asks = "?" in line or bool(_QUESTION_START.search(folded))
    return CustomerTurn(
        line=heard,
        asks_question=asks,
        asks_yes_no=bool(_YES_NO_START.search(folded)),
        invites_empathy=(
            feeling or abusive or not asks or len(heard.tokens) > PLAIN_QUESTION_WORDS
        ),
        is_abusive=abusive,
        content_words={token.stem: token.text for token in heard.tokens if is_content(token)},
    )


def is_content(token: Token) -> bool:
    """A word that says something about this customer's situation."""
    return token.text not in p.STOPWORDS and (token.text.isdigit() or len(token.text) >= 3)
