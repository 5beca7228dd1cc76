"""The debrief after a call: what went well, what to work on, and the one thing to practise next.

Built from the session alone, so the window, the terminal and reports say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.evaluation.debrief import CallDebrief
from app.core.session import CallSummary, CompletedTurn, PracticeSession
from app.core.voice import VoiceFeatures


@dataclass(frozen=True)
class ReplyHighlight:
    """One reply of the call, quoted, with a better way to say it from the scenario."""

    number: int
    customer_line: str
    reply: str
    empathy: int
    composure: int
    better_phrasing: str


@dataclass(frozen=True)
class RetriedAnswer:
    """An answer the trainee tried again: the first try beside the one that counted."""

    number: int
    first_reply: str
    first_score: int  # empathy and composure averaged, as for the call
    final_reply: str
    final_score: int
    first_empathy: int = 0
    first_composure: int = 0
    final_empathy: int = 0
    final_composure: int = 0
    final_attempt: int = 2


@dataclass(frozen=True)
class VoiceFigure:
    name: str
    value: float
    low: float
    high: float
    unit: str
    # Which reply a single figure (the longest pause) comes from, e.g. "reply 2, first try".
    source: str = ""

    @property
    def in_range(self) -> bool:
        return self.low <= self.value <= self.high


@dataclass(frozen=True)
class Debrief:
    """The call as a whole: `skills` holds the evaluator's averages per component, strongest and
    weakest, and the one thing to practise next; the rest quotes the trainee's own replies."""

    summary: CallSummary
    skills: CallDebrief
    best_reply: ReplyHighlight | None
    weakest_reply: ReplyHighlight | None
    retried: tuple[RetriedAnswer, ...]
    voice: tuple[VoiceFigure, ...]
    techniques: str
    # What the customer's account really shows, for the trainer's eyes: shown only here, after
    # the call, so the brief before it does not give the answer away.
    trainer_note: str = ""


def build_debrief(session: PracticeSession) -> Debrief:
    turns = session.turns
    summary = session.summary()
    skills = summary.skills
    by_total = sorted(turns, key=lambda t: t.evaluation.empathy + t.evaluation.composure)
    return Debrief(
        summary=summary,
        skills=skills,
        best_reply=_highlight(session, by_total[-1]) if by_total else None,
        weakest_reply=_highlight(session, by_total[0]) if len(by_total) > 1 else None,
        retried=_retried(session),
        voice=_voice_figures(session),
        techniques=session.scenario.debrief,
        trainer_note=session.scenario.trainer_note or "",
    )


def _highlight(session: PracticeSession, turn: CompletedTurn) -> ReplyHighlight:
    stage = next(
        (s for s in session.scenario.stages if s.id == turn.customer_line.stage_id),
        session.scenario.stages[0],
    )
    return ReplyHighlight(
        number=turn.number,
        customer_line=turn.customer_line.text,
        reply=turn.transcript.text,
        empathy=turn.evaluation.empathy,
        composure=turn.evaluation.composure,
        better_phrasing=stage.model_replies[0],
    )


def _retried(session: PracticeSession) -> tuple[RetriedAnswer, ...]:
    final = {turn.number: turn for turn in session.turns}
    first: dict[int, CompletedTurn] = {}
    for turn in session.retried:
        first.setdefault(turn.number, turn)
    return tuple(
        RetriedAnswer(
            number=number,
            first_reply=earlier.transcript.text,
            first_score=_score(earlier),
            final_reply=final[number].transcript.text,
            final_score=_score(final[number]),
            first_empathy=earlier.evaluation.empathy,
            first_composure=earlier.evaluation.composure,
            final_empathy=final[number].evaluation.empathy,
            final_composure=final[number].evaluation.composure,
            final_attempt=final[number].attempt,
        )
        for number, earlier in sorted(first.items())
        if number in final
    )


def _score(turn: CompletedTurn) -> int:
    return round((turn.evaluation.empathy + turn.evaluation.composure) / 2)


def _voice_figures(session: PracticeSession) -> tuple[VoiceFigure, ...]:
    """The speaking rate over the replies that counted; the longest pause over every reply
    spoken in the call, tries taken back included, since the trainee did pause there and
    the feedback at the time said so."""
    voices = [t.voice for t in session.turns if t.voice is not None]
    rates = [v.words_per_minute for v in voices if v.words_per_minute is not None]
    figures = []
    if rates:
        low, high = VoiceFeatures.WORDS_PER_MINUTE_RANGE
        figures.append(VoiceFigure("speaking rate", sum(rates) / len(rates), low, high, "wpm"))
    spoken = [t for t in (*session.retried, *session.turns) if t.voice is not None]
    if spoken:
        low, high = VoiceFeatures.LONGEST_PAUSE_RANGE
        longest = max(spoken, key=lambda t: t.voice.longest_pause_seconds if t.voice else 0.0)
        assert longest.voice is not None
        figures.append(
            VoiceFigure(
                "longest pause",
                longest.voice.longest_pause_seconds,
                low,
                high,
                "s",
                source=_which_try(session, longest),
            )
        )
    return tuple(figures)


def _which_try(session: PracticeSession, turn: CompletedTurn) -> str:
    tries = sum(1 for t in (*session.retried, *session.turns) if t.number == turn.number)
    if tries == 1:
        return f"reply {turn.number}"
    ordinal = {1: "first try", 2: "second try", 3: "third try"}.get(turn.attempt)
    return f"reply {turn.number}, {ordinal or f'try {turn.attempt}'}"
