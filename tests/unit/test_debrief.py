from __future__ import annotations

from pathlib import Path

from app.core.debrief import build_debrief
from app.core.session import PracticeSession
from app.core.transcript import Transcript, Word
from app.scenario_library import scenario_by_id

CURT = "Calm down, it's just policy. Give me your card number."
GOOD = "I can hear how worrying this is, and you're right to be careful. I'll block the card now."


def _session(tmp_path: Path) -> PracticeSession:
    session = PracticeSession(scenario_by_id(tmp_path, "unrecognised-charge"), seed=2)
    session.opening()
    return session


def test_the_debrief_names_the_best_and_weakest_reply_with_a_better_phrasing(
    tmp_path: Path,
) -> None:
    session = _session(tmp_path)
    session.submit(Transcript.typed(GOOD))
    session.submit(Transcript.typed("OK. What else do you want to know?"))
    session.end_early()
    debrief = build_debrief(session)
    assert debrief.best_reply is not None and debrief.best_reply.reply == GOOD
    assert debrief.weakest_reply is not None and debrief.weakest_reply.number == 2
    stage_replies = [reply for stage in session.scenario.stages for reply in stage.model_replies]
    assert debrief.weakest_reply.better_phrasing in stage_replies
    skills = debrief.skills
    assert skills.strongest != skills.weakest
    assert skills.components[-1].score >= skills.components[0].score
    assert debrief.summary.practise_next == skills.practise_next
    assert debrief.techniques == session.scenario.debrief


def test_an_answer_tried_again_is_compared_with_its_first_attempt(tmp_path: Path) -> None:
    session = _session(tmp_path)
    session.submit(Transcript.typed(CURT))
    session.retry_last()
    session.submit(Transcript.typed(GOOD))
    (retried,) = build_debrief(session).retried
    assert (retried.number, retried.first_reply, retried.final_reply) == (1, CURT, GOOD)
    assert retried.final_score > retried.first_score


def test_voice_figures_come_with_their_ranges(tmp_path: Path) -> None:
    from app.core.voice import VoiceFeatures

    session = _session(tmp_path)
    words = tuple(Word(w, i * 0.2, i * 0.2 + 0.15) for i, w in enumerate(GOOD.split()))
    fast = VoiceFeatures(210.0, 0, 0.1, -20.0, 3.0)
    session.submit(Transcript(GOOD, "whisper", 0.9, words, 4.0, 0.4), voice=fast)
    (rate, pause) = build_debrief(session).voice
    assert (rate.name, rate.value, rate.low, rate.high) == ("speaking rate", 210.0, 100.0, 165.0)
    assert not rate.in_range and pause.in_range


def test_the_longest_pause_counts_a_try_that_was_taken_back(tmp_path: Path) -> None:
    """A reply with a 1.2 s pause, tried again without one: the debrief still reports the
    1.2 s pause the trainee made, and says in which try."""
    from app.core.voice import VoiceFeatures

    session = _session(tmp_path)
    session.submit(Transcript.typed(CURT), voice=VoiceFeatures(140.0, 1, 1.2, -20.0, 3.0))
    session.retry_last()
    session.submit(Transcript.typed(GOOD), voice=VoiceFeatures(140.0, 0, 0.3, -20.0, 3.0))
    pause = next(figure for figure in build_debrief(session).voice if figure.unit == "s")
    assert pause.value == 1.2 and pause.source == "reply 1, first try"


def test_retried_answers_carry_both_scores_of_each_try(tmp_path: Path) -> None:
    session = _session(tmp_path)
    first = session.submit(Transcript.typed(CURT))
    session.retry_last()
    final = session.submit(Transcript.typed(GOOD))
    (retried,) = build_debrief(session).retried
    assert (retried.first_empathy, retried.first_composure) == (
        first.evaluation.empathy,
        first.evaluation.composure,
    )
    assert (retried.final_empathy, retried.final_composure, retried.final_attempt) == (
        final.evaluation.empathy,
        final.evaluation.composure,
        2,
    )


def test_the_trainer_note_is_for_the_debrief_only(tmp_path: Path) -> None:
    session = PracticeSession(scenario_by_id(tmp_path, "price-rise-hidden-fees"), seed=1)
    note = session.scenario.trainer_note
    assert note is not None and "paper-bill" in note
    # The brief the trainee reads before the call does not give the answer away.
    assert "paper" not in session.scenario.summary and "add-on" not in session.scenario.summary
    session.opening()
    session.submit(Transcript.typed(GOOD))
    session.end_early()
    assert build_debrief(session).trainer_note == note
