"""The shipped scenarios, played through the real evaluator: good answers win the customer over,
brush-offs lose them, and the difficulty levels behave differently, not only in name."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from collections.abc import Callable
from statistics import mean

import pytest

from app.core.dialogue import CustomerLine
from app.core.evaluation import evaluate
from app.core.scenario import TECHNIQUES, Scenario, load_scenarios
from app.core.session import CompletedTurn, PracticeSession
from app.core.transcript import Transcript
from app.core.voice_preset import voice_preset_names
from app.paths import PROJECT_ROOT, SHIPPED_SCENARIOS_DIR

LIBRARY, LIBRARY_ERRORS = load_scenarios([SHIPPED_SCENARIOS_DIR])
BY_ID = {scenario.id: scenario for scenario in LIBRARY}
SEEDS = range(5)
DISMISSIVE = (
    "Calm down, it's just policy.",
    "That's not my problem, you should have read the terms.",
)
FLAT = ("Okay.", "Right, I see.", "Let me have a look at the account.")
HOSTILE = ("Are you deaf? I've told you already, how many times do I have to say it?",)
ASKS_FOR_PIN = ("To go any further I need your PIN and the long number on your card.",)
# The situations the training material asks trainees to practise, by scenario id.
REQUIRED_SITUATIONS = {
    "unrecognised-charge": "an unrecognised charge and fear of fraud",
    "is-this-call-a-scam": "how do I know this call isn't a scam",
    "verification-refusal": "refusing to give personal data for verification",
    "missing-refund": "a refund promised and never received",
    "upsell-suspicion": "suspicion of being upsold",
    "account-locked": "an account locked for security",
    "warranty-denial": "a claim or warranty denial seen as a trick",
    "fake-customs-fee": "a phishing text or fake customs fee",
    "price-rise-hidden-fees": "a price rise suspected to hide fees",
    "abusive-caller": "an abusive customer and a calm boundary",
}
# The same situations again in other sectors: every situation is practised at least twice.
SECOND_SITUATIONS = {
    "roaming-charge": "unrecognised-charge",
    "insurer-callback-doubt": "is-this-call-a-scam",
    "clinic-bill-date-of-birth": "verification-refusal",
    "returned-boots-refund": "missing-refund",
    "smart-meter-upsell": "upsell-suspicion",
    "sim-swap-lockout": "account-locked",
    "home-claim-denied": "warranty-denial",
    "redelivery-fee-text": "fake-customs-fee",
    "energy-bill-estimate": "price-rise-hidden-fees",
    "lost-parcel-abuse": "abusive-caller",
}
LEVELS = ("easy", "standard", "hard", "expert")


def scenario_ids() -> list[str]:
    return sorted(BY_ID)


def spoken_lines(scenario: Scenario) -> list[str]:
    """Everything the customer's voice may say in a call."""
    lines = [*scenario.opening.lines, *scenario.escalation.lines, *scenario.de_escalation.lines]
    for stage in scenario.stages:
        lines += [*stage.warmer, *stage.neutral, *stage.colder]
    endings = scenario.endings
    return [*lines, *endings.resolved, *endings.walked_out, *endings.turn_limit]


Replier = Callable[[PracticeSession, int], str]


def play(scenario: Scenario, seed: int, replier: Replier) -> tuple[PracticeSession, list[str]]:
    """A whole typed call; returns the session and every line the customer said, in order."""
    session = PracticeSession(scenario, seed=seed)
    said = [session.opening().text]
    while not session.finished:
        turn = session.submit(Transcript.typed(replier(session, len(session.turns))))
        said.append(_said_after(turn))
    return session, said


def _said_after(turn: CompletedTurn) -> str:
    outcome = turn.outcome
    if outcome.ending is not None:
        return outcome.ending.line
    assert outcome.next_line is not None
    return outcome.next_line.text


def model_replies(session: PracticeSession, _turn: int) -> str:
    return session.conversation.model_reply()


def dismissive_replies(_session: PracticeSession, turn: int) -> str:
    return DISMISSIVE[turn % len(DISMISSIVE)]


def first_reaction(scenario: Scenario, seed: int, reply: str) -> tuple[CustomerLine, str, int]:
    """The customer's next line, their reaction and the trust after one reply to the opening."""
    session = PracticeSession(scenario, seed=seed)
    session.opening()
    turn = session.submit(Transcript.typed(reply))
    assert turn.outcome.next_line is not None, "one reply should never end the call"
    return turn.outcome.next_line, turn.outcome.reaction, turn.outcome.trust_after


def test_the_library_loads_without_errors_and_covers_every_situation() -> None:
    assert LIBRARY_ERRORS == []
    assert len(LIBRARY) >= 10
    missing = {i: what for i, what in REQUIRED_SITUATIONS.items() if i not in BY_ID}
    assert not missing, f"situations without a scenario: {missing}"


def test_twenty_scenarios_practise_every_situation_and_every_technique_twice() -> None:
    assert len(LIBRARY) >= 20
    for second, first in SECOND_SITUATIONS.items():
        assert second in BY_ID and first in REQUIRED_SITUATIONS, second
    techniques: list[str] = [t for scenario in LIBRARY for t in scenario.techniques]
    rare = {t: techniques.count(t) for t in TECHNIQUES if techniques.count(t) < 2}
    assert not rare, f"techniques practised fewer than twice: {rare}"
    assert all(scenario.techniques for scenario in LIBRARY)


def test_the_cli_validates_the_shipped_folder() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "scenarios", "validate", "scenarios/"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(LIBRARY)} scenario file(s) valid" in result.stdout


def test_every_level_and_every_voice_is_used() -> None:
    levels: list[str] = [scenario.difficulty for scenario in LIBRARY]
    assert all(levels.count(level) >= 3 for level in LEVELS), levels
    # Expert: quick to escalate (one poor reply) and several key concerns.
    for scenario in LIBRARY:
        if scenario.difficulty == "expert":
            assert scenario.persona.patience == 1 and len(scenario.key_concerns) >= 5
    assert {scenario.persona.voice for scenario in LIBRARY} == set(voice_preset_names())


@pytest.mark.parametrize("scenario_id", scenario_ids())
def test_spoken_lines_are_written_for_the_ear(scenario_id: str) -> None:
    scenario = BY_ID[scenario_id]
    for line in spoken_lines(scenario):
        # espeak reads "£249.99" and "3pm" badly: amounts and times are written in words.
        assert not re.search(r"[£$€%\d]", line), f"{scenario_id}: {line!r}"
    # Model replies may be read aloud by the trainee: amounts in words too (single digits, as in
    # a reference "F T 7 2 0 9", read fine).
    for stage in scenario.stages:
        for reply in stage.model_replies:
            assert not re.search(r"[£$€%]|\d\d|\d[.,:]\d", reply), f"{scenario_id}: {reply!r}"


@pytest.mark.parametrize("scenario_id", scenario_ids())
def test_escalation_lines_ask_for_a_supervisor_and_threaten_to_leave_or_report(
    scenario_id: str,
) -> None:
    lines = " ".join(BY_ID[scenario_id].escalation.lines).lower()
    assert re.search(r"supervisor|manager|someone senior|someone else", lines)
    assert re.search(r"report|complain|complaint|ombudsman|ofcom|court|review", lines)
    assert re.search(r"leav|switch|cancel|moving|move my|hang|phone down|never shop", lines)


@pytest.mark.parametrize("scenario_id", scenario_ids())
def test_model_replies_answer_their_stage_the_way_a_trainer_would(scenario_id: str) -> None:
    """Scored by the real evaluator: each model reply addresses its stage's concern, recognises
    the feeling or the caution, offers something concrete, and never does what training warns
    against, above all asking for a secret."""
    scenario = BY_ID[scenario_id]
    warned_against = {"asked_for_secret", "dismissed", "blamed", "defensive", "hostile"}
    for stage in scenario.stages:
        for reply in stage.model_replies:
            # Scored on its own, as the evaluator scores a reply to a worried customer.
            evaluation = evaluate("", reply, scenario.concerns)
            where = f"{scenario_id} / {stage.id}: {reply!r}"
            assert stage.concern in evaluation.concerns_addressed, where
            assert not evaluation.signals & warned_against, f"{where} {evaluation.signals}"
            assert evaluation.signals & {"acknowledged", "validated", "apologised"}, where
            assert evaluation.signals & {"next_step", "transparent", "boundary"}, where
            assert evaluation.empathy >= 50 and evaluation.composure >= 80, (
                f"{where} empathy {evaluation.empathy}, composure {evaluation.composure}"
            )


@pytest.mark.parametrize("scenario_id", scenario_ids())
def test_answering_with_the_model_replies_wins_the_customer_over(scenario_id: str) -> None:
    scenario = BY_ID[scenario_id]
    for seed in SEEDS:
        session, said = play(scenario, seed, model_replies)

        assert session.ending is not None and session.ending.kind == "resolved", (
            f"{scenario_id} seed {seed}: {session.ending} at trust {session.trust}"
        )
        assert session.ending.line in scenario.endings.resolved
        assert scenario.key_concerns <= session.conversation.concerns_addressed
        assert len(said) == len(set(said)), f"{scenario_id} seed {seed} repeated a line"
        reactions = [turn.outcome.reaction for turn in session.turns]
        assert "escalated" not in reactions and "colder" not in reactions


@pytest.mark.parametrize("scenario_id", scenario_ids())
def test_brushing_the_customer_off_loses_them(scenario_id: str) -> None:
    scenario = BY_ID[scenario_id]
    for seed in SEEDS:
        session, said = play(scenario, seed, dismissive_replies)

        assert session.ending is not None and session.ending.kind == "walked_out", (
            f"{scenario_id} seed {seed}: {session.ending}"
        )
        # Hanging up, the customer may first say what was never answered.
        assert session.ending.line.endswith(scenario.endings.walked_out)
        assert session.trust < scenario.persona.starting_trust
        trust = [turn.outcome.trust_after for turn in session.turns]
        assert trust == sorted(trust, reverse=True), f"trust rose after a brush-off: {trust}"
        reactions = {turn.outcome.reaction for turn in session.turns}
        assert "escalated" in reactions and "warmer" not in reactions
        # Escalating, the customer may first name what is still unanswered.
        assert any(line.endswith(scenario.escalation.lines) for line in said)


@pytest.mark.parametrize("scenario_id", scenario_ids())
def test_an_empathetic_and_a_dismissive_answer_sound_different(scenario_id: str) -> None:
    scenario = BY_ID[scenario_id]
    for seed in SEEDS:
        good_line, good_reaction, good_trust = first_reaction(
            scenario, seed, PracticeSession(scenario, seed=seed).conversation.model_reply()
        )
        bad_line, bad_reaction, bad_trust = first_reaction(scenario, seed, DISMISSIVE[0])

        assert good_reaction == "warmer"
        assert bad_reaction in ("colder", "escalated")
        assert good_line.text != bad_line.text
        assert good_line.text in scenario.stages[1].warmer or good_line.stage_id != (
            scenario.stages[0].id
        )
        assert bad_line.text not in [line for stage in scenario.stages for line in stage.warmer]
        moods = ("angry", "agitated", "wary", "calm")
        assert moods.index(good_line.mood) > moods.index(bad_line.mood)
        assert good_trust - bad_trust >= 15


def replies_to_resolve(scenario: Scenario) -> float:
    counts = []
    for seed in SEEDS:
        session, _ = play(scenario, seed, model_replies)
        assert session.ending is not None and session.ending.kind == "resolved"
        counts.append(len(session.turns))
    return mean(counts)


def brush_offs_before_escalating(scenario: Scenario) -> float:
    counts = []
    for seed in SEEDS:
        session, _ = play(scenario, seed, dismissive_replies)
        reactions = [turn.outcome.reaction for turn in session.turns]
        counts.append(reactions.index("escalated") + 1)
    return mean(counts)


def by_level(measure: Callable[[Scenario], float]) -> dict[str, list[float]]:
    return {level: [measure(s) for s in LIBRARY if s.difficulty == level] for level in LEVELS}


def test_harder_customers_take_more_good_answers_to_win_over() -> None:
    needed = by_level(replies_to_resolve)

    assert max(needed["easy"]) < min(needed["hard"]), needed
    assert mean(needed["easy"]) < mean(needed["standard"]) < mean(needed["hard"]), needed
    assert mean(needed["hard"]) < mean(needed["expert"]), needed


def test_harder_customers_escalate_sooner() -> None:
    patience = by_level(brush_offs_before_escalating)

    assert min(patience["easy"]) > max(patience["hard"]), patience
    assert mean(patience["easy"]) > mean(patience["standard"]) > mean(patience["hard"]), patience
    assert max(patience["expert"]) <= min(patience["hard"]), patience


def test_harder_customers_start_colder_and_need_more_concerns_answered() -> None:
    def figures(level: str) -> dict[str, float]:
        chosen = [s for s in LIBRARY if s.difficulty == level]
        return {
            "starting_trust": mean(s.persona.starting_trust for s in chosen),
            "resolve_trust": mean(s.persona.resolve_trust for s in chosen),
            "trust_gain": mean(s.persona.trust_gain for s in chosen),
            "trust_loss": mean(s.persona.trust_loss for s in chosen),
            "patience": mean(s.persona.patience for s in chosen),
            "key_concerns": mean(len(s.key_concerns) for s in chosen),
        }

    easy, standard, hard, expert = (figures(level) for level in LEVELS)

    for rising in ("resolve_trust", "trust_loss", "key_concerns"):
        assert easy[rising] < standard[rising] < hard[rising] < expert[rising], rising
    for falling in ("starting_trust", "trust_gain", "patience"):
        assert easy[falling] > standard[falling] > hard[falling] > expert[falling], falling


def mixed_replier(seed: int) -> Replier:
    """Replies of every kind in a random order, as a trainee might give them."""
    choose = random.Random(seed)

    def reply(session: PracticeSession, _turn: int) -> str:
        kind = choose.choice(["model", "model", "dismissive", "flat", "hostile", "pin"])
        if kind == "model":
            return session.conversation.model_reply()
        pool = {"dismissive": DISMISSIVE, "flat": FLAT, "hostile": HOSTILE, "pin": ASKS_FOR_PIN}
        return choose.choice(pool[kind])

    return reply


@pytest.mark.parametrize("scenario_id", scenario_ids())
def test_no_line_repeats_and_every_call_ends_within_the_turn_limit(scenario_id: str) -> None:
    scenario = BY_ID[scenario_id]
    endings = set()
    for seed in range(40):
        session, said = play(scenario, seed, mixed_replier(seed))

        assert len(said) == len(set(said)), f"{scenario_id} seed {seed} repeated: {said}"
        assert len(session.turns) <= scenario.max_turns
        assert session.ending is not None
        endings.add(session.ending.kind)
    # Across forty mixed calls the customer gives up at least once, and a customer who is not
    # hard to please also comes round (or holds on to the end) at least once. Two thirds of
    # these replies are brush-offs, threats or requests for a PIN, and a hard customer holds a
    # broken promise against the trainee, so they may walk out of every one.
    assert "walked_out" in endings, endings
    if scenario.difficulty in ("easy", "standard"):
        assert "resolved" in endings or "turn_limit" in endings, endings
