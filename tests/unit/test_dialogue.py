"""The customer's state machine, driven with hand-built evaluations through the shipped scenario."""

from __future__ import annotations

import itertools
import random

import pytest

from app.core.dialogue import NOTICED_LINES, Conversation, CustomerLine, TurnOutcome
from app.core.evaluation.result import Evaluation
from app.core.scenario import Scenario, load_scenario
from app.paths import SHIPPED_SCENARIOS_DIR


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(SHIPPED_SCENARIOS_DIR / "unrecognised-charge.toml")


def empathetic(*concerns: str) -> Evaluation:
    return Evaluation(
        empathy=85,
        composure=85,
        evidence=(),
        tips=(),
        signals=frozenset({"acknowledged", "transparent", "next_step"}),
        concerns_addressed=frozenset(concerns),
    )


def flat() -> Evaluation:
    """A reply that is neither warm nor rude and answers nothing."""
    return Evaluation(empathy=50, composure=60, evidence=(), tips=())


def hostile() -> Evaluation:
    return Evaluation(
        empathy=10, composure=15, evidence=(), tips=(), signals=frozenset({"hostile"})
    )


def asks_for_pin() -> Evaluation:
    return Evaluation(
        empathy=55, composure=70, evidence=(), tips=(), signals=frozenset({"asked_for_secret"})
    )


def dismissive() -> Evaluation:
    return Evaluation(
        empathy=25, composure=50, evidence=(), tips=(), signals=frozenset({"dismissed"})
    )


def said_next(outcome: TurnOutcome) -> CustomerLine:
    assert outcome.next_line is not None, f"the call ended: {outcome.ending}"
    return outcome.next_line


def test_an_empathetic_call_ends_resolved(scenario: Scenario) -> None:
    conversation = Conversation(scenario, seed=1)
    opening = conversation.opening()
    assert opening.text in scenario.opening.lines
    assert opening.stage_id == scenario.stages[0].id

    outcomes: list[TurnOutcome] = []
    while conversation.ending is None:
        outcomes.append(conversation.respond(empathetic(conversation.stage.concern)))

    ending = conversation.ending
    assert ending.kind == "resolved"
    assert ending.line in scenario.endings.resolved
    assert conversation.trust >= scenario.persona.resolve_trust
    assert scenario.key_concerns <= conversation.concerns_addressed
    assert len(outcomes) < scenario.max_turns
    assert all(o.reaction == "warmer" and o.trust_after > o.trust_before for o in outcomes)
    assert outcomes[-1].next_line is None and outcomes[-1].ending == ending
    assert conversation.current_line is None
    with pytest.raises(RuntimeError, match="ended"):
        conversation.respond(empathetic("fraud"))


def test_a_hostile_call_escalates_then_walks_out(scenario: Scenario) -> None:
    conversation = Conversation(scenario, seed=2)
    conversation.opening()

    first = conversation.respond(hostile())
    assert first.reaction == "escalated"
    assert first.trust_after < first.trust_before
    assert first.next_line is not None
    assert first.next_line.mood == "angry"
    assert first.next_line.text in scenario.escalation.lines
    while conversation.ending is None:
        conversation.respond(hostile())

    assert conversation.ending.kind == "walked_out"
    # Hanging up, she names the question that was never answered.
    assert conversation.ending.line.endswith(scenario.endings.walked_out)
    assert conversation.ending.line.startswith(scenario.concerns[0].unanswered)
    assert conversation.trust <= scenario.persona.walkout_trust
    assert conversation.turn_number < scenario.max_turns


def test_the_call_ends_at_the_turn_limit_when_key_concerns_stay_open(
    scenario: Scenario,
) -> None:
    conversation = Conversation(scenario, seed=3)
    conversation.opening()

    # Warm replies that only ever explain the security questions: trust climbs,
    # but the customer still does not know whether her money is safe.
    for _ in range(scenario.max_turns - 1):
        outcome = conversation.respond(empathetic("data"))
        assert outcome.ending is None
    last = conversation.respond(empathetic("data"))

    assert conversation.trust >= scenario.persona.resolve_trust
    assert last.ending is not None and last.ending.kind == "turn_limit"
    assert last.ending.line in scenario.endings.turn_limit
    assert conversation.turn_number == scenario.max_turns


def play_mixed_call(scenario: Scenario, seed: int) -> list[str]:
    """Every line the customer says in a call with replies of every kind."""
    choose = random.Random(seed)
    conversation = Conversation(scenario, seed=seed)
    said = [conversation.opening().text]
    while conversation.ending is None:
        reply = choose.choice(
            [
                lambda: empathetic(conversation.stage.concern),
                lambda: empathetic(),
                flat,
                dismissive,
                asks_for_pin,
            ]
        )()
        outcome = conversation.respond(reply)
        said.append(outcome.ending.line if outcome.ending else said_next(outcome).text)
    return said


def test_no_line_is_said_twice_in_one_call(scenario: Scenario) -> None:
    for seed in range(300):
        said = play_mixed_call(scenario, seed)
        assert len(said) == len(set(said)), f"seed {seed} repeated a line"


def test_flat_replies_keep_the_customer_on_the_same_concern_with_new_words(
    scenario: Scenario,
) -> None:
    conversation = Conversation(scenario, seed=4)
    said = [conversation.opening().text]
    for _ in range(scenario.max_turns - 1):
        outcome = conversation.respond(flat())
        assert outcome.next_line is not None
        assert outcome.next_line.stage_id == scenario.stages[0].id
        said.append(outcome.next_line.text)

    assert len(set(said)) == scenario.max_turns


def test_the_customer_skips_answered_concerns_and_returns_to_open_ones(
    scenario: Scenario,
) -> None:
    stage_ids = [stage.id for stage in scenario.stages]
    conversation = Conversation(scenario, seed=14)
    conversation.opening()

    skipped = said_next(conversation.respond(empathetic("fraud", "scam-call")))
    assert skipped.stage_id == stage_ids[2]

    # A warm reply that answers nothing keeps her on her question: warmth alone does not earn
    # the next stage's line ...
    returning = Conversation(scenario, seed=15)
    returning.opening()
    assert said_next(returning.respond(empathetic())).stage_id == stage_ids[0]
    # ... nor does answering the later worries while hers stays open ...
    still = said_next(returning.respond(empathetic("scam-call", "data", "next-steps")))
    assert still.stage_id == stage_ids[0]
    # ... and once hers is answered too, every worry has been met and she is satisfied.
    ending = returning.respond(empathetic("fraud")).ending
    assert ending is not None and ending.kind == "resolved"


def test_the_same_seed_gives_the_same_call_and_seeds_differ(scenario: Scenario) -> None:
    assert play_mixed_call(scenario, 11) == play_mixed_call(scenario, 11)
    openings = {Conversation(scenario, seed=seed).opening().text for seed in range(30)}
    assert len(openings) > 1


def test_the_reaction_follows_the_reply(scenario: Scenario) -> None:
    conversation = Conversation(scenario, seed=5)
    conversation.opening()
    conversation.respond(empathetic("fraud"))
    at_second_stage = conversation.snapshot()
    stage = scenario.stages[1]

    reactions = {}
    for name, reply in [
        ("good", empathetic("scam-call")),
        ("flat", flat()),
        ("dismissive", dismissive()),
        ("pin", asks_for_pin()),
    ]:
        attempt = at_second_stage.snapshot()
        reactions[name] = attempt.respond(reply)

    assert reactions["good"].reaction == "warmer"
    assert said_next(reactions["good"]).stage_id == scenario.stages[2].id
    assert reactions["flat"].reaction == "neutral"
    assert reactions["flat"].trust_after <= reactions["flat"].trust_before
    assert said_next(reactions["flat"]).stage_id == stage.id
    assert reactions["dismissive"].reaction == "colder"
    assert said_next(reactions["dismissive"]).text in stage.colder
    assert reactions["pin"].reaction == "escalated"
    assert said_next(reactions["pin"]).text in scenario.escalation.lines
    trust_after = {name: outcome.trust_after for name, outcome in reactions.items()}
    assert trust_after["good"] > trust_after["flat"] > trust_after["dismissive"]


def test_calming_down_after_an_escalation_uses_a_de_escalation_line(scenario: Scenario) -> None:
    conversation = Conversation(scenario, seed=6)
    conversation.opening()
    assert conversation.respond(empathetic("fraud")).reaction == "warmer"
    colder = conversation.respond(dismissive())
    assert colder.reaction == "colder"
    assert colder.next_line is not None and colder.next_line.mood == "agitated"
    reactions = [conversation.respond(dismissive()).reaction for _ in range(2)]
    assert reactions == ["colder", "escalated"]

    calmer = conversation.respond(empathetic("fraud"))

    assert calmer.reaction == "warmer"
    assert calmer.next_line is not None
    assert calmer.next_line.text in scenario.de_escalation.lines


def test_mood_follows_trust_and_reaction(scenario: Scenario) -> None:
    conversation = Conversation(scenario, seed=7)
    assert conversation.opening().mood == "agitated"

    moods = []
    while conversation.ending is None:
        outcome = conversation.respond(empathetic(conversation.stage.concern))
        if outcome.next_line:
            moods.append(outcome.next_line.mood)

    assert moods[0] == "wary"
    assert moods[-1] == "calm"


def test_a_patient_persona_warms_faster(scenario: Scenario) -> None:
    patient = scenario.model_copy(
        update={"persona": scenario.persona.model_copy(update={"trust_gain": 2.0})}
    )
    usual = Conversation(scenario, seed=8)
    quick = Conversation(patient, seed=8)
    usual.opening()
    quick.opening()

    usual_rise = usual.respond(empathetic("fraud"))
    quick_rise = quick.respond(empathetic("fraud"))

    gained = usual_rise.trust_after - usual_rise.trust_before
    assert quick_rise.trust_after - quick_rise.trust_before == pytest.approx(2 * gained, abs=1)


def test_concerns_accumulate_and_unknown_ids_are_ignored(scenario: Scenario) -> None:
    conversation = Conversation(scenario, seed=9)
    conversation.opening()

    conversation.respond(empathetic("fraud", "mortgage"))
    outcome = conversation.respond(empathetic("data"))

    assert outcome.concerns_addressed == {"fraud", "data"}
    assert conversation.concerns_addressed == {"fraud", "data"}


def test_a_snapshot_is_independent_and_replays_the_same_turn(scenario: Scenario) -> None:
    conversation = Conversation(scenario, seed=10)
    conversation.opening()
    conversation.respond(flat())
    before = conversation.snapshot()
    trust, turn, line = before.trust, before.turn_number, before.current_line

    original = conversation.respond(dismissive())
    conversation.respond(hostile())

    assert (before.trust, before.turn_number, before.current_line) == (trust, turn, line)
    retried = before.respond(dismissive())
    assert retried == original
    assert conversation.turn_number == before.turn_number + 1


def test_hints_and_model_replies_belong_to_the_current_stage(scenario: Scenario) -> None:
    conversation = Conversation(scenario, seed=12)
    conversation.opening()
    first = scenario.stages[0]

    assert conversation.hint() == first.hint
    shown = [conversation.model_reply() for _ in first.model_replies]
    assert sorted(shown) == sorted(first.model_replies)

    conversation.respond(empathetic("fraud"))
    assert conversation.hint() == scenario.stages[1].hint
    assert conversation.model_reply() in scenario.stages[1].model_replies


def test_ending_early_and_misuse_are_refused_clearly(scenario: Scenario) -> None:
    conversation = Conversation(scenario, seed=13)
    with pytest.raises(RuntimeError, match="opening"):
        conversation.respond(flat())
    conversation.opening()
    with pytest.raises(RuntimeError, match="already started"):
        conversation.opening()

    ending = conversation.end_early()

    assert (ending.kind, ending.line) == ("ended_early", "")
    assert conversation.current_line is None
    assert conversation.end_early() is ending
    with pytest.raises(RuntimeError, match="ended_early"):
        conversation.respond(flat())


def with_persona(scenario: Scenario, **changes: object) -> Scenario:
    return scenario.model_copy(update={"persona": scenario.persona.model_copy(update=changes)})


def mildly_poor() -> Evaluation:
    """A reply that loses a few points of trust without being rude or alarming."""
    return Evaluation(empathy=30, composure=60, evidence=(), tips=())


@pytest.mark.parametrize("patience", [1, 2, 4])
def test_patience_is_the_number_of_poor_replies_before_escalating(
    scenario: Scenario, patience: int
) -> None:
    # High trust, so only patience (not low trust) can make the customer escalate.
    customer = with_persona(scenario, starting_trust=65, trust_loss=1.0, patience=patience)
    conversation = Conversation(customer, seed=20)
    conversation.opening()

    reactions = [conversation.respond(mildly_poor()).reaction for _ in range(patience)]

    assert reactions == ["colder"] * (patience - 1) + ["escalated"]
    assert conversation.trust >= 35


def test_a_good_reply_resets_the_customers_patience(scenario: Scenario) -> None:
    customer = with_persona(scenario, starting_trust=65, trust_loss=1.0, patience=2)
    conversation = Conversation(customer, seed=21)
    conversation.opening()

    reactions = [
        conversation.respond(reply).reaction
        for reply in (mildly_poor(), empathetic(), mildly_poor(), mildly_poor())
    ]

    assert reactions == ["colder", "warmer", "colder", "escalated"]


def test_the_customer_threatens_to_leave_before_walking_out(scenario: Scenario) -> None:
    # One hostile reply takes trust to the floor, but the first time the customer only warns.
    touchy = with_persona(scenario, trust_loss=5.0)
    conversation = Conversation(touchy, seed=22)
    conversation.opening()

    warning = conversation.respond(hostile())

    assert warning.trust_after <= touchy.persona.walkout_trust
    assert warning.ending is None and warning.reaction == "escalated"
    assert said_next(warning).text in touchy.escalation.lines
    last = conversation.respond(dismissive())
    assert last.ending is not None and last.ending.kind == "walked_out"


def test_the_warning_gives_the_trainee_a_chance_to_win_them_back(scenario: Scenario) -> None:
    touchy = with_persona(scenario, trust_loss=5.0)
    conversation = Conversation(touchy, seed=23)
    conversation.opening()
    conversation.respond(hostile())

    recovered = conversation.respond(empathetic("fraud"))

    assert recovered.ending is None
    assert recovered.reaction == "warmer"
    assert said_next(recovered).text in touchy.de_escalation.lines


def test_with_every_concern_answered_the_customer_goes_back_over_them(
    scenario: Scenario,
) -> None:
    # A slow-warming customer: every concern is answered long before trust is earned.
    slow = with_persona(scenario, trust_gain=0.3)
    conversation = Conversation(slow, seed=24)
    conversation.opening()
    everything = [c.id for c in slow.concerns]

    stages = [said_next(conversation.respond(empathetic(*everything))).stage_id]
    while conversation.ending is None and len(stages) < len(slow.stages) + 1:
        outcome = conversation.respond(empathetic(*everything))
        if outcome.next_line:
            stages.append(outcome.next_line.stage_id)

    assert len(set(stages)) > 2, f"the customer stayed on one worry: {stages}"
    assert all(a != b for a, b in itertools.pairwise(stages)), stages


@pytest.mark.parametrize("signal", ["off_topic", "formula", "cut_off"])
def test_a_reply_that_did_not_answer_is_noticed_and_never_warms_the_customer(
    scenario: Scenario, signal: str
) -> None:
    # Even scored warmly, a reply the customer can tell did not answer them earns no trust.
    warm_but_beside_the_point = Evaluation(
        empathy=85,
        composure=90,
        evidence=(),
        tips=(),
        signals=frozenset({"acknowledged", "next_step", signal}),
    )
    for seed in range(5):
        call = Conversation(scenario, seed=seed)
        call.opening()
        outcome = call.respond(warm_but_beside_the_point)

        assert outcome.reaction != "warmer"
        assert outcome.trust_after <= outcome.trust_before
        assert said_next(outcome).text.startswith(NOTICED_LINES[signal]), said_next(outcome)


def test_the_customer_says_what_they_noticed_in_a_fresh_way_each_time(scenario: Scenario) -> None:
    call = Conversation(scenario, seed=1)
    call.opening()
    off_topic = Evaluation(
        empathy=55, composure=90, evidence=(), tips=(), signals=frozenset({"off_topic"})
    )
    openings = []
    for _ in range(3):
        outcome = call.respond(off_topic)
        if outcome.next_line is None or outcome.reaction == "escalated":
            break  # an escalating customer threatens to leave instead
        text = outcome.next_line.text
        openings.append(next(line for line in NOTICED_LINES["off_topic"] if text.startswith(line)))

    assert len(openings) >= 2
    assert len(set(openings)) == len(openings)


def test_real_scores_of_an_off_topic_and_a_cut_off_reply_are_noticed(scenario: Scenario) -> None:
    from app.core.evaluation import evaluate

    call = Conversation(scenario, seed=2)
    line = call.opening()
    weather = evaluate(line.text, "The weather is lovely today, isn't it?", scenario.concerns)
    cut = evaluate(
        line.text, "I can see the payment, and what I'm going to do is", scenario.concerns
    )

    assert {"off_topic", "formula"} & weather.signals
    assert "cut_off" in cut.signals
    outcome = call.respond(cut)
    assert said_next(outcome).text.startswith(NOTICED_LINES["cut_off"])
