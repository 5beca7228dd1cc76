"""One practice call: the dialogue engine and the evaluator joined turn by turn.

Both the window and the terminal drive a `PracticeSession`; they differ only in how a reply is
heard and how the customer's line is said, which the adapters in app.audio do.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from app.core.dialogue import Conversation, CustomerLine, Ending, TurnOutcome
from app.core.evaluation import evaluate
from app.core.evaluation.debrief import CallDebrief, debrief
from app.core.evaluation.result import Evaluation
from app.core.scenario import Scenario
from app.core.transcript import Transcript
from app.core.voice import VoiceFeatures


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class TurnTimings:
    """How long each step of a turn took, in seconds (the response gap in milliseconds)."""

    listen_seconds: float = 0.0
    transcribe_seconds: float = 0.0
    score_seconds: float = 0.0
    response_gap_ms: float | None = None


@dataclass(frozen=True)
class CompletedTurn:
    """A customer line, the trainee's reply to it, how the reply was judged and what followed."""

    number: int
    customer_line: CustomerLine
    transcript: Transcript
    evaluation: Evaluation
    outcome: TurnOutcome
    voice: VoiceFeatures | None
    timings: TurnTimings
    started_at: str
    ended_at: str
    attempt: int = 1  # 2 and more: the trainee tried this answer again


@dataclass(frozen=True)
class CallSummary:
    """The end of a call: how it ended and the averages over its replies.

    Built only by `PracticeSession.summary()`, from the evaluator's debrief of the replies that
    count, so the window, the terminal, the debrief and reports show the same numbers.
    """

    ending: Ending
    empathy: int
    composure: int
    turn_count: int
    final_trust: int
    practise_next: str
    skills: CallDebrief


@dataclass
class PracticeSession:
    """A call in progress. `submit()` scores a reply and moves the customer on."""

    scenario: Scenario
    seed: int | None = None
    # The trainee's usual voice (from earlier calls), so that voice figures are judged against
    # their own normal rather than only against reference ranges.
    voice_baseline: VoiceFeatures | None = None
    turns: list[CompletedTurn] = field(default_factory=list)
    # Answers the trainee chose to try again, kept so the debrief can compare the attempts.
    retried: list[CompletedTurn] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.conversation = Conversation(self.scenario, seed=self.seed)
        self._before_turn: list[Conversation] = []  # the customer's state before each reply
        self._turn_started_at = utc_now()

    @property
    def trust(self) -> int:
        return self.conversation.trust

    @property
    def finished(self) -> bool:
        return self.conversation.ending is not None

    @property
    def ending(self) -> Ending | None:
        return self.conversation.ending

    @property
    def current_line(self) -> CustomerLine | None:
        return self.conversation.current_line

    def opening(self) -> CustomerLine:
        self._turn_started_at = utc_now()
        return self.conversation.opening()

    def submit(
        self,
        transcript: Transcript,
        voice: VoiceFeatures | None = None,
        timings: TurnTimings | None = None,
    ) -> CompletedTurn:
        """Score the reply to the current line and let the customer react."""
        scoring_started = time.perf_counter()
        evaluation = self.evaluate(transcript, voice)
        score_seconds = time.perf_counter() - scoring_started
        return self.record(transcript, evaluation, voice, timings, score_seconds)

    def evaluate(self, transcript: Transcript, voice: VoiceFeatures | None = None) -> Evaluation:
        """How the reply to the current line scores; changes nothing (may run on any thread)."""
        line = self.conversation.current_line
        if line is None:
            raise RuntimeError("the call has not started")
        if not transcript.text.strip():
            raise ValueError("The reply is empty: say or type something first.")
        return evaluate(
            line.text,
            transcript.text,
            self.scenario.concerns,
            voice,
            model_replies=self.conversation.stage.model_replies,
            baseline=self.voice_baseline,
            # Words the recogniser was unsure of (and the trainee did not confirm) earn nothing.
            unsure=transcript.unsure_spans(),
        )

    def record(
        self,
        transcript: Transcript,
        evaluation: Evaluation,
        voice: VoiceFeatures | None = None,
        timings: TurnTimings | None = None,
        score_seconds: float = 0.0,
    ) -> CompletedTurn:
        """The scored reply becomes a turn, and the customer reacts to it."""
        line = self.conversation.current_line
        if line is None:
            raise RuntimeError("the call has not started")
        self._before_turn.append(self.conversation.snapshot())
        outcome = self.conversation.respond(evaluation, transcript.text)
        timings = timings or TurnTimings()
        turn = CompletedTurn(
            number=len(self.turns) + 1,
            customer_line=line,
            transcript=transcript,
            evaluation=evaluation,
            outcome=outcome,
            voice=voice,
            timings=TurnTimings(
                listen_seconds=timings.listen_seconds,
                transcribe_seconds=timings.transcribe_seconds,
                score_seconds=score_seconds,
                response_gap_ms=timings.response_gap_ms,
            ),
            started_at=self._turn_started_at,
            ended_at=utc_now(),
            attempt=1 + sum(1 for t in self.retried if t.number == len(self.turns) + 1),
        )
        self.turns.append(turn)
        self._turn_started_at = turn.ended_at
        return turn

    @property
    def can_retry(self) -> bool:
        """Any answer can be tried again, even the one that made the customer hang up."""
        return bool(self.turns)

    def retry_last(self) -> CustomerLine:
        """Put the customer back where they were before the last reply, to answer it again.

        The attempt is kept in `retried`; the line to answer again is returned.
        """
        if not self.can_retry:
            raise RuntimeError("there is no answer to try again")
        turn = self.turns.pop()
        self.retried.append(turn)
        self.conversation = self._before_turn.pop()
        self._turn_started_at = utc_now()
        return turn.customer_line

    def end_early(self) -> Ending:
        return self.conversation.end_early()

    def summary(self) -> CallSummary:
        """The call's one summary; only meaningful once the call has ended."""
        ending = self.conversation.ending or Ending(kind="ended_early", line="")
        skills = debrief([turn.evaluation for turn in self.turns])
        return CallSummary(
            ending=ending,
            empathy=skills.empathy,
            composure=skills.composure,
            turn_count=len(self.turns),
            final_trust=self.trust,
            practise_next=skills.practise_next,
            skills=skills,
        )
