"""What the customer remembers of the call: promises the trainee made and questions left unanswered.

People on the phone keep score. When a rep says "I'll block the card now", the customer holds
them to it a turn later ("You said you'd block the card. Has that happened?"), and a promise
that is not kept costs more trust than never making it. A question dodged twice in a row is
named ("You still haven't told me why you need my date of birth."). Pure and deterministic:
the dialogue engine asks this module what to remember and what to bring up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# Trust points (before the persona's temperament) for a promise kept or broken.
PROMISE_KEPT_POINTS = 2.0
PROMISE_BROKEN_POINTS = -8.0
# Dodges in a row of the concern being pressed before the customer names the unanswered question.
DODGES_BEFORE_NAMING = 2
# At most this many words of the trainee's promise are repeated back ("block the card").
MAX_ACTION_WORDS = 8

FOLLOW_UPS = (
    "You said you'd {action}. Has that happened?",
    "Earlier you told me you'd {action}. Is that done?",
    "Hang on. You said you'd {action}. Have you?",
)
BROKEN_REMARKS = (
    "You said you'd {action}, and it hasn't happened.",
    "You told me you'd {action}. So that was just words?",
    "So you didn't {action}, even though you said you would.",
)

_COMMITMENT = re.compile(
    r"\b(?:i'll|i will|i'm going to|i am going to|we'll|we will|i'm gonna|let me)\s+"
    r"(?:now\s+|just\s+|also\s+|personally\s+|immediately\s+|right away\s+|go ahead and\s+)*"
    r"(?P<verb>[a-z]+)(?P<rest>[^.!?;]*)"
)
# "I'll be honest", "I'll explain", "let me ask": talk about the call, not something to hold
# the trainee to; "I'll try" and "I'll see what I can do" promise nothing checkable.
_NOT_PROMISES = frozenset(
    {
        "be",
        "explain",
        "tell",
        "say",
        "ask",
        "need",
        "have",
        "try",
        "admit",
        "repeat",
        "talk",
        "listen",
        "understand",
        "help",
        "do",
        "see",
        "just",
        "make",
        "sure",
        "start",
        "walk",
        "take",
        "know",
        "get",
        "hear",
        "answer",
        "read",
        "go",
        "come",
        "look",
        # Not things to do: "I'll never ask for your PIN", "I'll always be honest".
        "never",
        "not",
        "always",
        "stay",
        "keep",
    }
)
# A promise for later ("I'll ring you back on Friday") cannot be checked during the call.
_LATER = re.compile(
    r"\b(?:tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|next|week|"
    r"weeks|month|days|within|later|afternoon|evening|morning|tonight|today|by the end|"
    r"back on|when|once|after|in the post|o'clock)\b"
)
_CLAUSE_END = re.compile(
    r"\s*(?:,|\band\b|\bso\b|\bbut\b|\bbecause\b|\bwhile\b|\bwhich\b|\bthen\b|\bif\b|"
    r"\bonce\b|\buntil\b|\bwhen\b|\bas soon as\b)"
)
_TRAILING_TIME = re.compile(
    r"\s+(?:right now|now|straight away|right away|immediately|at once|for me)$"
)
# The trainee's words, turned round to be said by the customer.
_PRONOUNS = {
    "you": "me",
    "your": "my",
    "yours": "mine",
    "yourself": "myself",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "i": "you",
    "we": "you",
    "us": "you",
    "our": "your",
}
_NEGATION = re.compile(
    r"\b(?:can't|cannot|can not|couldn't|won't|unable|not able|haven't|hasn't|didn't|"
    r"not yet|not been|isn't done|wasn't able)\b"
)
_CONFIRMATION = re.compile(
    r"\b(?:yes|yeah|done|sorted|all set|complete|completed|gone through|has happened|"
    r"it's been|it has been|that's been|already|confirmed)\b"
)
_DONE_BY_ME = r"(?:i've|i have|we've|we have|has been|have been|is|are|it's|that's|just|now)"
_IRREGULAR_PAST = {
    "send": "sent",
    "freeze": "frozen",
    "give": "given",
    "write": "written",
    "set": "set",
    "put": "put",
    "ring": "rung",
    "pay": "paid",
    "lay": "laid",
    "stop": "stopped",
    "cancel": "cancelled",
    "refund": "refunded",
    "email": "emailed",
    "call": "called",
    "raise": "raised",
    "escalate": "escalated",
    "arrange": "arranged",
    "remove": "removed",
    "reverse": "reversed",
    "issue": "issued",
    "book": "booked",
    "log": "logged",
    "flag": "flagged",
}


@dataclass
class Promise:
    """Something the trainee said they would do, in the customer's words ("block the card").

    `state` is "open", "kept" or "broken"; `asked_on_turn` is the turn whose customer line
    asked whether it had happened (None until asked).
    """

    action: str
    verb: str
    made_on_turn: int
    asked_on_turn: int | None = None
    state: str = "open"
    # False for a promise about later ("by Friday"), which the customer cannot check yet.
    due_now: bool = True


@dataclass(frozen=True)
class Recollection:
    """What one reply changed in the customer's memory."""

    kept: tuple[Promise, ...] = ()
    broken: tuple[Promise, ...] = ()
    made: tuple[Promise, ...] = ()

    @property
    def trust_points(self) -> float:
        return PROMISE_KEPT_POINTS * len(self.kept) + PROMISE_BROKEN_POINTS * len(self.broken)


@dataclass
class CallMemory:
    """Promises and dodged questions of one call, and the remarks they lead to."""

    promises: list[Promise] = field(default_factory=list)
    # Replies in a row that left the pressed concern unanswered, by concern id.
    dodges: dict[str, int] = field(default_factory=dict)
    used_remarks: set[str] = field(default_factory=set)
    _pending_broken: list[Promise] = field(default_factory=list)

    def copy(self) -> CallMemory:
        """An independent copy, for a snapshot of the call."""
        return CallMemory(
            promises=[Promise(**vars(promise)) for promise in self.promises],
            dodges=dict(self.dodges),
            used_remarks=set(self.used_remarks),
            _pending_broken=[],
        )

    def hear(
        self, reply: str, turn: int, pressed_concern: str, concern_answered: bool
    ) -> Recollection:
        """Remember reply number `turn`: which promises it kept, broke or made."""
        text = _plain(reply)
        kept: list[Promise] = []
        broken: list[Promise] = []
        for promise in self.promises:
            if promise.state != "open":
                continue
            verdict = _verdict(promise, text, asked=promise.asked_on_turn is not None)
            if verdict == "kept":
                promise.state = "kept"
                kept.append(promise)
            elif verdict == "broken":
                promise.state = "broken"
                broken.append(promise)
        made = [
            Promise(action, verb, turn, due_now=due_now)
            for action, verb, due_now in _commitments(reply)
            if not any(p.action == action for p in self.promises)
        ]
        self.promises.extend(made)
        if concern_answered:
            self.dodges.pop(pressed_concern, None)
        else:
            self.dodges[pressed_concern] = self.dodges.get(pressed_concern, 0) + 1
        self._pending_broken = broken
        return Recollection(tuple(kept), tuple(broken), tuple(made))

    def lead(
        self,
        stage_line: Callable[[], str],
        escalated: bool,
        turn: int,
        concern: str,
        unanswered: tuple[str, ...],
        used_lines: set[str],
    ) -> str:
        """The customer's next line, led by what they remember.

        A broken promise is thrown back before whatever comes next; losing patience, they name
        what is still unanswered before asking for a supervisor; otherwise an open promise is
        followed up, or a question dodged again and again is named, in place of the stage's own
        line (which would only press the same concern again).
        """
        reproach = self.broken_remark()
        if reproach:
            return f"{reproach} {stage_line()}"
        if escalated:
            return f"{self.unanswered(concern, unanswered)} {stage_line()}".lstrip()
        remark = self.follow_up(turn) or self.unanswered(concern, unanswered)
        if remark and remark not in used_lines:
            used_lines.add(remark)
            return remark
        return stage_line()

    def broken_remark(self) -> str:
        """A reproach for a promise the last reply broke, to say before the next line ("")."""
        for promise in self._pending_broken:
            remark = self._unused(BROKEN_REMARKS, promise.action)
            if remark:
                return remark
        return ""

    def follow_up(self, turn: int) -> str:
        """Asking whether an earlier promise has happened, once per promise ("" when none).

        A promise is followed up from the turn after the one it was made in, so the trainee has
        had a reply in which to say it was done.
        """
        for promise in self.promises:
            if promise.state == "open" and promise.due_now and promise.asked_on_turn is None:
                if promise.made_on_turn >= turn:
                    continue
                remark = self._unused(FOLLOW_UPS, promise.action)
                if remark:
                    promise.asked_on_turn = turn
                    return remark
        return ""

    @property
    def promises_outstanding(self) -> bool:
        """The customer has asked whether a promise was kept and not yet heard."""
        return any(p.state == "open" and p.asked_on_turn is not None for p in self.promises)

    def awaiting_answer(self, turn: int) -> Promise | None:
        """The promise the customer's line of this turn asked about, while still open."""
        for promise in self.promises:
            if promise.state == "open" and promise.asked_on_turn == turn:
                return promise
        return None

    def hint(self, turn: int) -> str:
        """Advice to put first while the customer asks whether a promise was kept ("")."""
        promise = self.awaiting_answer(turn)
        if promise is None:
            return ""
        return (
            f"They are holding you to your promise to {promise.action}: say plainly whether it "
            "is done, and if not, why and when it will be. "
        )

    def answer_first(self, turn: int) -> str:
        """What a good rep says first when asked whether a promise was kept ("")."""
        return "Yes, that's done. " if self.awaiting_answer(turn) is not None else ""

    def unanswered(self, concern: str, lines: tuple[str, ...]) -> str:
        """A line naming the pressed concern as still unanswered, once it was dodged enough."""
        if self.dodges.get(concern, 0) < DODGES_BEFORE_NAMING:
            return ""
        for line in lines:
            if line not in self.used_remarks:
                self.used_remarks.add(line)
                return line
        return ""

    def _unused(self, templates: tuple[str, ...], action: str) -> str:
        for template in templates:
            remark = template.format(action=action)
            if remark not in self.used_remarks:
                self.used_remarks.add(remark)
                return remark
        return ""


def promises_in(reply: str) -> list[tuple[str, str]]:
    """The commitments in a reply, as (action in the customer's words, verb).

    "I'll block your card now and call you back" gives ("block my card", "block").
    """
    return [(action, verb) for action, verb, _ in _commitments(reply)]


def _commitments(reply: str) -> list[tuple[str, str, bool]]:
    """(action, verb, due now) for each commitment in the reply."""
    found: list[tuple[str, str, bool]] = []
    for match in _COMMITMENT.finditer(_plain(reply)):
        verb = match["verb"]
        if verb in _NOT_PROMISES:
            continue
        rest = _CLAUSE_END.split(match["rest"], maxsplit=1)[0]
        words = f"{verb}{rest}".split()[:MAX_ACTION_WORDS]
        action = _TRAILING_TIME.sub("", " ".join(_PRONOUNS.get(word, word) for word in words))
        due_now = _LATER.search(match["rest"]) is None
        if action and all(action != known for known, _, _ in found):
            found.append((action, verb, due_now))
    return found


def _verdict(promise: Promise, text: str, asked: bool) -> str:
    """ "kept", "broken" or "" (not mentioned) for an open promise, from a later reply."""
    past = _IRREGULAR_PAST.get(promise.verb) or _regular_past(promise.verb)
    # "I can't block it", "I haven't blocked it yet": a negation just before the promised act.
    if re.search(rf"{_NEGATION.pattern}(?:\s+\w+){{0,3}}\s+(?:{promise.verb}|{past})\b", text):
        return "broken"
    # "I've blocked it", "the card is now blocked"; not "charges were added in April".
    if re.search(rf"\b{_DONE_BY_ME}(?:\s+\w+){{0,2}}\s+{past}\b", text):
        return "kept"
    if not asked:
        return ""
    # Asked "has that happened?", a real answer starts with it: "Yes, it's done."
    if _CONFIRMATION.search(_first_sentence(text)):
        return "kept"
    # Asked straight out whether it happened, and answered with something else or a "no".
    return "broken"


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?;:])\s", text.strip(), maxsplit=1)[0]


def _regular_past(verb: str) -> str:
    if verb.endswith("e"):
        return f"{verb}d"
    if verb.endswith("y") and len(verb) > 2 and verb[-2] not in "aeiou":
        return f"{verb[:-1]}ied"
    return f"{verb}ed"


def _plain(text: str) -> str:
    return text.replace("\u2019", "'").replace("\u2018", "'").casefold()
