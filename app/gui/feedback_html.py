"""Turn results and call summaries as the small HTML pages the feedback pane shows."""

from __future__ import annotations

from html import escape

from app.core.session import CallSummary, CompletedTurn
from app.core.transcript import LOW_WORD_PROBABILITY, Transcript
from app.gui.theme import current_theme

# The score bar: one segment per five points, so it reads like a meter at a glance.
SEGMENTS = 20

# Short names of endings, for the state line.
ENDING_STATES = {
    "resolved": "Call resolved",
    "walked_out": "Customer hung up",
    "turn_limit": "Out of time",
    "ended_early": "Call ended early",
}
ENDING_TITLES = {
    "resolved": "Resolved: the customer trusts you now",
    "walked_out": "The customer hung up",
    "turn_limit": "Out of time: the call ran to its limit",
    "ended_early": "Call ended early",
}


def score_bar(label: str, value: int) -> str:
    """The score in words and as a segmented bar: a one-row table, so that it shrinks with a
    narrow pane instead of wrapping onto a second row (as a line of block characters did); the
    gaps between segments and the outline show the track's border colour."""
    theme = current_theme()
    filled = max(0, min(SEGMENTS, round(value * SEGMENTS / 100)))
    fill = theme.score_colour(value)
    cells = "".join(
        f"<td bgcolor='{fill if segment < filled else theme.track}'>&nbsp;</td>"
        for segment in range(SEGMENTS)
    )
    return (
        f"<p><b>{escape(label)} {value}</b>/100</p>"
        f"<table width='100%' cellspacing='1' cellpadding='0' bgcolor='{theme.track_border}' "
        f"style='font-size: 6pt'><tr>{cells}</tr></table>"
    )


def turn_feedback(turn: CompletedTurn) -> str:
    evaluation = turn.evaluation
    parts = [
        f"<h3>Reply {turn.number}</h3>",
        score_bar("Empathy", evaluation.empathy),
        score_bar("Composure", evaluation.composure),
    ]
    if turn.transcript.is_uncertain:
        parts.append(
            "<p><i>The recogniser was unsure of some words; the score may not reflect what "
            "you said.</i></p>"
        )
    if evaluation.evidence:
        parts.append("<p><b>From your words</b></p><ul>")
        parts += [f"<li>{escape(item)}</li>" for item in evaluation.evidence]
        parts.append("</ul>")
    if evaluation.strength:
        parts.append(f"<p><b>Well done:</b> {escape(evaluation.strength)}</p>")
    improvement = evaluation.improvement or (evaluation.tips[0] if evaluation.tips else "")
    if improvement:
        parts.append(f"<p><b>Try next:</b> {escape(improvement)}</p>")
    trust = turn.outcome
    change = trust.trust_after - trust.trust_before
    parts.append(f"<p>Customer trust {trust.trust_before} → {trust.trust_after} ({change:+d})</p>")
    return "".join(parts)


def call_summary(summary: CallSummary) -> str:
    title = ENDING_TITLES.get(summary.ending.kind, summary.ending.kind)
    parts = [
        f"<h2>{escape(title)}</h2>",
        f"<p>Replies: {summary.turn_count}; final trust {summary.final_trust}/100</p>",
        score_bar("Empathy (average)", summary.empathy),
        score_bar("Composure (average)", summary.composure),
    ]
    if summary.practise_next:
        parts.append(f"<p><b>Practise next:</b> {escape(summary.practise_next)}</p>")
    return "".join(parts)


def doubtful_words_html(transcript: Transcript) -> str:
    """The heard reply with the words the recogniser was unsure of highlighted."""
    if not transcript.words:
        return f"<b>{escape(transcript.text)}</b>"
    parts = []
    for word in transcript.words:
        text = escape(word.text.strip())
        if word.probability < LOW_WORD_PROBABILITY:
            theme = current_theme()
            text = (
                f"<span style='background:{theme.doubtful}; color:{theme.doubtful_text}'>"
                f"<b>{text}</b></span>"
            )
        parts.append(text)
    return " ".join(parts)
