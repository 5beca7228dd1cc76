"""The customer's side of a call: how far they trust the trainee, and what they say next.

Pure and deterministic for a given seed, so a call can be replayed, retried from a snapshot and
tested without any speech engine.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass

from app.core.call_memory import CallMemory
from app.core.evaluation.result import Evaluation
from app.core.scenario import Scenario, Stage

# Trust below this after a fall means the customer escalates (supervisor, complaint, threats);
# so does a run of poor replies as long as the persona's `patience`.
ESCALATION_TRUST = 20
# A change of at least this many points is one the customer noticeably reacts to.
NOTICEABLE_CHANGE = 3

# Points each signal of a reply is worth before the persona's temperament multiplies them.
SIGNAL_POINTS = {
    "acknowledged": 3.0,
    "validated": 2.0,
    "apologised": 1.0,
    "transparent": 3.0,
    "next_step": 3.0,
    "dismissed": -5.0,
    "blamed": -6.0,
    "defensive": -4.0,
    "hostile": -8.0,
    "sarcastic": -6.0,
    "asked_for_secret": -10.0,
}
# Replies with these signals make the customer escalate whatever their trust.
ALARMING_SIGNALS = frozenset({"hostile", "asked_for_secret"})
STAGE_CONCERN_ADDRESSED = 6.0
OTHER_CONCERN_ADDRESSED = 3.0
STAGE_CONCERN_IGNORED = -2.0

MOODS = ("angry", "agitated", "wary", "calm")

NOTICED_RELEVANCE = 40
# What a real customer says when the reply did not answer them: it never makes them warmer.
# The first signal found in this order is the one they notice.
NOTICED_LINES: dict[str, tuple[str, ...]] = {
    "cut_off": (
        "Sorry, you were saying?",
        "You stopped halfway there. Go on?",
        "And? You didn't finish.",
        "Hello? You cut off there.",
    ),
    "off_topic": (
        "That's not what I asked.",
        "What has that got to do with anything?",
        "You're not listening to me.",
        "That's got nothing to do with my problem.",
    ),
    "formula": (
        "You're reading that off a script.",
        "That sounds like something you say to everyone.",
        "Don't give me the script.",
        "I've heard that line before. What are you actually going to do?",
    ),
}


@dataclass(frozen=True)
class CustomerLine:
    """Something the customer says. `mood` is "calm", "wary", "agitated" or "angry"."""

    text: str
    mood: str
    stage_id: str


@dataclass(frozen=True)
class Ending:
    """How the call ended: "resolved", "walked_out", "turn_limit" or "ended_early".

    `line` is the customer's last words ("" when the trainee ended the call).
    """

    kind: str
    line: str

    @property
    def closing_line(self) -> CustomerLine | None:
        """The customer's last words as a line to say, or None when there are none."""
        return CustomerLine(self.line, "calm", "ending") if self.line else None


@dataclass(frozen=True)
class TurnOutcome:
    """What one reply did. `reaction` is "warmer", "neutral", "colder" or "escalated".

    Exactly one of `next_line` and `ending` is set. `concerns_addressed` is cumulative.
    """

    trust_before: int
    trust_after: int
    reaction: str
    next_line: CustomerLine | None
    ending: Ending | None
    concerns_addressed: frozenset[str]

    @property
    def line_to_say(self) -> CustomerLine | None:
        """What the customer says now: the next line, or the closing words of the ending."""
        if self.next_line is not None:
            return self.next_line
        return self.ending.closing_line if self.ending is not None else None


class Conversation:
    """One call with a scenario's customer: `opening()`, then `respond()` to each reply.

    `turn_number` counts the replies heard so far. The line the trainee is answering is
    `current_line`; it is None before the opening and after the call ends.
    """

    def __init__(self, scenario: Scenario, seed: int | None = None) -> None:
        self.scenario = scenario
        self.trust = scenario.persona.starting_trust
        self.turn_number = 0
        self.concerns_addressed: frozenset[str] = frozenset()
        self.ending: Ending | None = None
        self.current_line: CustomerLine | None = None
        self._random = random.Random(seed)
        self._stage_index = 0
        self._used_lines: set[str] = set()
        self._last_reaction = "neutral"
        self._poor_replies_in_a_row = 0
        self._has_escalated = False
        self._model_replies_shown: dict[str, int] = {}
        # Promises the trainee made and questions they dodged (see call_memory.py).
        self.memory = CallMemory()

    @property
    def stage(self) -> Stage:
        """The stage whose concern the customer is pressing now."""
        return self.scenario.stages[self._stage_index]

    def opening(self) -> CustomerLine:
        """The customer's first words, which raise the first stage's concern."""
        if self.current_line is not None or self.turn_number or self.ending:
            raise RuntimeError("the call has already started")
        text = self._pick([self.scenario.opening.lines])
        self.current_line = CustomerLine(text, _mood(self.trust, "neutral"), self.stage.id)
        return self.current_line

    def respond(self, evaluation: Evaluation, reply: str = "") -> TurnOutcome:
        """Let the customer react to the trainee's reply to `current_line`.

        `reply` is what the trainee said: the customer remembers what it promised.
        """
        if self.ending is not None:
            raise RuntimeError(f"the call has ended ({self.ending.kind})")
        if self.current_line is None:
            raise RuntimeError("the call has not started: call opening() first")
        stage_concern = self.stage.concern
        addressed_now = evaluation.concerns_addressed & {c.id for c in self.scenario.concerns}
        newly_addressed = addressed_now - self.concerns_addressed
        trust_before = self.trust
        recollection = self.memory.hear(
            reply, self.turn_number + 1, stage_concern, stage_concern in addressed_now
        )
        change = self._trust_change(
            evaluation, stage_concern, addressed_now, newly_addressed, recollection.trust_points
        )
        noticed = noticed_failing(evaluation)
        if noticed:
            change = min(change, 0)  # a reply that did not answer them earns no trust
        self.trust = max(0, min(100, trust_before + change))
        self.concerns_addressed |= addressed_now
        self.turn_number += 1
        reaction = self._reaction(change, evaluation.signals)
        if noticed and reaction == "warmer":
            reaction = "neutral"
        if self.trust <= self.scenario.persona.walkout_trust and not self._has_escalated:
            # People warn before they hang up: the first time trust hits bottom the customer
            # threatens to leave, which gives the trainee one chance to win them back.
            reaction = "escalated"

        self.ending = self._ending_now(broke_a_promise=bool(recollection.broken))
        self._has_escalated |= reaction == "escalated"
        if self.ending is not None:
            self.current_line = None
            next_line = None
            if self.ending.kind == "walked_out":
                self.ending = self._parting_shot(self.ending)
        else:
            # Only an answer to the concern being pressed moves the customer on: warmth alone
            # does not earn the next stage's line.
            if stage_concern in addressed_now:
                self._stage_index = self._next_stage_index()
            text = self._remembered_line(reaction)
            if noticed and reaction != "escalated":
                text = f"{self._noticing(noticed)} {text}"
            next_line = CustomerLine(text, _mood(self.trust, reaction), self.stage.id)
            self.current_line = next_line
        self._last_reaction = reaction
        return TurnOutcome(
            trust_before=trust_before,
            trust_after=self.trust,
            reaction=reaction,
            next_line=next_line,
            ending=self.ending,
            concerns_addressed=self.concerns_addressed,
        )

    def end_early(self) -> Ending:
        """The trainee ends the call. A call that has already ended keeps its ending."""
        if self.ending is None:
            self.ending = Ending(kind="ended_early", line="")
            self.current_line = None
        return self.ending

    def hint(self) -> str:
        """Advice for answering the line the customer has just said."""
        return self.memory.hint(self.turn_number) + self.stage.hint

    def model_reply(self) -> str:
        """A reply a trainer would endorse; each call shows the stage's next example in turn."""
        replies = self.stage.model_replies
        shown = self._model_replies_shown.get(self.stage.id, 0)
        self._model_replies_shown[self.stage.id] = shown + 1
        return self.memory.answer_first(self.turn_number) + replies[shown % len(replies)]

    def snapshot(self) -> Conversation:
        """An independent copy of the call as it stands, so a turn can be retried from here."""
        twin = copy.copy(self)
        twin._random = random.Random()
        twin._random.setstate(self._random.getstate())
        twin._used_lines = set(self._used_lines)
        twin._model_replies_shown = dict(self._model_replies_shown)
        twin.memory = self.memory.copy()
        return twin

    def _trust_change(
        self,
        evaluation: Evaluation,
        stage_concern: str,
        addressed_now: frozenset[str],
        newly_addressed: frozenset[str],
        memory_points: float = 0.0,
    ) -> int:
        parts = [
            (evaluation.empathy - 50) / 12.5,
            (evaluation.composure - 50) / 25,
            *(SIGNAL_POINTS.get(signal, 0.0) for signal in evaluation.signals),
            memory_points,
        ]
        if stage_concern in addressed_now:
            parts.append(STAGE_CONCERN_ADDRESSED)
        else:
            parts.append(STAGE_CONCERN_IGNORED)
        parts.extend(OTHER_CONCERN_ADDRESSED for c in newly_addressed if c != stage_concern)
        persona = self.scenario.persona
        rises = sum(part for part in parts if part > 0) * persona.trust_gain
        falls = sum(part for part in parts if part < 0) * persona.trust_loss
        return round(rises + falls)

    def _reaction(self, change: int, signals: frozenset[str]) -> str:
        poor = change <= -NOTICEABLE_CHANGE
        self._poor_replies_in_a_row = self._poor_replies_in_a_row + 1 if poor else 0
        out_of_patience = self._poor_replies_in_a_row >= self.scenario.persona.patience
        if (
            signals & ALARMING_SIGNALS
            or (change < 0 and self.trust < ESCALATION_TRUST)
            or out_of_patience
        ):
            return "escalated"
        if change >= NOTICEABLE_CHANGE:
            return "warmer"
        if change <= -NOTICEABLE_CHANGE:
            return "colder"
        return "neutral"

    def _ending_now(self, broke_a_promise: bool = False) -> Ending | None:
        persona = self.scenario.persona
        endings = self.scenario.endings
        if self.trust <= persona.walkout_trust and self._has_escalated:
            return Ending("walked_out", self._pick([endings.walked_out]))
        resolved_concerns = self.scenario.key_concerns <= self.concerns_addressed
        # Nobody rings off satisfied while asking whether a promise was kept, or just after
        # hearing that it was not.
        if (
            self.trust >= persona.resolve_trust
            and resolved_concerns
            and not self.memory.promises_outstanding
            and not broke_a_promise
        ):
            return Ending("resolved", self._pick([endings.resolved]))
        if self.turn_number >= self.scenario.max_turns:
            return Ending("turn_limit", self._pick([endings.turn_limit]))
        return None

    def _next_stage_index(self) -> int:
        """The next stage, in order and wrapping round, whose concern is still open.

        With every concern answered but trust not yet earned, a suspicious customer goes back
        over the next worry to make sure of it, so they move on round the stages in order.
        """
        count = len(self.scenario.stages)
        for step in range(1, count + 1):
            index = (self._stage_index + step) % count
            if self.scenario.stages[index].concern not in self.concerns_addressed:
                return index
        return (self._stage_index + 1) % count

    def _remembered_line(self, reaction: str) -> str:
        """The next line, led by what the customer remembers of the call (call_memory.py)."""
        concern = next(c for c in self.scenario.concerns if c.id == self.stage.concern)
        return self.memory.lead(
            lambda: self._line_for(reaction),
            escalated=reaction == "escalated",
            turn=self.turn_number,
            concern=concern.id,
            unanswered=concern.unanswered,
            used_lines=self._used_lines,
        )

    def _parting_shot(self, ending: Ending) -> Ending:
        """Hanging up, the customer says what was never done or never answered."""
        concern = next(c for c in self.scenario.concerns if c.id == self.stage.concern)
        said = self.memory.broken_remark() or self.memory.unanswered(concern.id, concern.unanswered)
        return Ending(ending.kind, f"{said} {ending.line}") if said else ending

    def _line_for(self, reaction: str) -> str:
        stage = self.stage
        escalation = self.scenario.escalation.lines
        de_escalation = self.scenario.de_escalation.lines
        if reaction == "escalated":
            pools = [escalation, stage.colder, stage.neutral, stage.warmer, de_escalation]
        elif reaction == "warmer" and self._last_reaction == "escalated":
            pools = [de_escalation, stage.warmer, stage.neutral, stage.colder, escalation]
        elif reaction == "colder":
            pools = [stage.colder, stage.neutral, stage.warmer, escalation, de_escalation]
        else:
            other = stage.neutral if reaction == "warmer" else stage.warmer
            pools = [stage.lines(reaction), other, stage.colder, de_escalation, escalation]
        return self._pick(pools)

    def _noticing(self, signal: str) -> str:
        """A line that shows the customer noticed, a fresh one while any is left."""
        lines = NOTICED_LINES[signal]
        unused = [line for line in lines if line not in self._used_lines]
        line = self._random.choice(unused or list(lines))
        self._used_lines.add(line)
        return line

    def _pick(self, pools: list[tuple[str, ...]]) -> str:
        """A random unused line from the first pool that still has one.

        Scenario validation guarantees enough lines for a whole call; endings are said once.
        """
        for pool in pools:
            unused = [line for line in pool if line not in self._used_lines]
            if unused:
                line = self._random.choice(unused)
                self._used_lines.add(line)
                return line
        raise RuntimeError(f"scenario {self.scenario.id!r} has run out of unused lines")


def noticed_failing(evaluation: Evaluation) -> str:
    """The failing the customer notices in a reply ("cut_off", "off_topic", "formula"), or "".

    A customer notices more than the scorer flags: a reply only half about them (relevance
    under NOTICED_RELEVANCE; on the tuning half, 29 of 40 formulas and 24 of 40 off-topic
    replies, and none of 120 relevant ones) is heard as a script when it is warm, as a change of
    subject when it is not.
    """
    flagged = next((signal for signal in NOTICED_LINES if signal in evaluation.signals), "")
    if flagged:
        return flagged
    relevance = next((c.score for c in evaluation.empathy_components if c.name == "relevance"), 100)
    if relevance >= NOTICED_RELEVANCE:
        return ""
    warm = evaluation.signals & {"acknowledged", "validated", "apologised"}
    return "formula" if warm else "off_topic"


def _mood(trust: int, reaction: str) -> str:
    """The tone of voice: set by trust, one step sharper after a bad reply (short of angry).

    A good reply does not lift the tone by itself: a suspicious customer relaxes only as trust
    is actually earned.
    """
    if reaction == "escalated":
        return "angry"
    band = 3 if trust >= 60 else 2 if trust >= 35 else 1 if trust >= ESCALATION_TRUST else 0
    if reaction == "colder":
        band = max(band - 1, 1)  # anger is kept for escalation and the lowest trust
    return MOODS[band]
