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
    first_score: int
    final_reply: str
    final_score: int


@dataclass(frozen=True)
class VoiceFigure:
    name: str
    value: float
    low: float
    high: float
    unit: str

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
        voice=_voice_figures([t.voice for t in turns if t.voice is not None]),
        techniques=session.scenario.debrief,
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
        )
        for number, earlier in sorted(first.items())
        if number in final
    )


def _score(turn: CompletedTurn) -> int:
    return round((turn.evaluation.empathy + turn.evaluation.composure) / 2)


def _voice_figures(voices: list[VoiceFeatures]) -> tuple[VoiceFigure, ...]:
    rates = [v.words_per_minute for v in voices if v.words_per_minute is not None]
    figures = []
    if rates:
        low, high = VoiceFeatures.WORDS_PER_MINUTE_RANGE
        figures.append(VoiceFigure("speaking rate", sum(rates) / len(rates), low, high, "wpm"))
    if voices:
        low, high = VoiceFeatures.LONGEST_PAUSE_RANGE
        longest = max(v.longest_pause_seconds for v in voices)
        figures.append(VoiceFigure("longest pause", longest, low, high, "s"))
    return tuple(figures)
