"""The evaluator, on realistic replies to a suspicious customer who thinks the call is a scam."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from app.core.evaluation import Component, Evaluation, debrief, evaluate
from app.core.voice import VoiceFeatures, baseline_from

# These tests pin what the rules find; the learned layer on top is measured by calibrate.
pytestmark = pytest.mark.usefixtures("rules_only")

CUSTOMER = (
    "I've been charged £249 I never made and now you're calling me, "
    "how do I know this isn't a scam?"
)
EXCELLENT = (
    "I can hear how worrying this is, and you're right to be careful. "
    "I've stopped that £249 charge because it doesn't match your usual spending, "
    "and I'll block the card right now. I'll never ask for your PIN or password: "
    "if you'd like to check it's really us, hang up and call the number on the back of your card."
)
CURT = "Give me your card number and I'll check."
DISMISSIVE = "Calm down, it's just policy."
HOSTILE = "Listen to me, this is ridiculous. I don't care what you think."
SHOUTING = "I ALREADY TOLD YOU, STOP ASKING!!"
CALM = "I can hear how worrying this is. I'll block the card now and call you back by five."


@dataclass(frozen=True)
class Concern:
    """Shaped like the scenario's concern: an id and the words that show it was dealt with."""

    id: str
    cues: tuple[str, ...]


CONCERNS: Sequence[Concern] = (
    Concern("card_blocked", ("block", "freeze")),
    Concern("refund", ("refund", "money back")),
    Concern("proof_of_identity", ("back of your card", "official app")),
    Concern("new_card", ("new card", "replacement")),
)


def component(evaluation: Evaluation, name: str) -> Component:
    found = [
        part
        for part in (*evaluation.empathy_components, *evaluation.composure_components)
        if part.name == name
    ]
    assert found, f"no component {name!r} in {evaluation.to_json()}"
    return found[0]


def quotes(lines: Sequence[str]) -> list[str]:
    """The quoted words of evidence lines shaped '"words" - why'."""
    return [match.group(1) for line in lines if (match := re.match(r'"(.*)" - ', line))]


def test_an_empathetic_reply_beats_a_curt_one_which_beats_a_dismissive_one() -> None:
    excellent = evaluate(CUSTOMER, EXCELLENT)
    curt = evaluate(CUSTOMER, CURT)
    dismissive = evaluate(CUSTOMER, DISMISSIVE)

    assert excellent.empathy >= curt.empathy + 40
    assert curt.empathy > dismissive.empathy


def test_worry_words_in_a_caring_reply_do_not_count_against_it() -> None:
    caring = evaluate(
        CUSTOMER,
        "That must be really upsetting, and it's completely understandable to think this is "
        "a scam. I'll freeze the card now while you're on the line.",
    )

    assert caring.empathy >= 60
    assert {"acknowledged", "validated", "next_step"} <= caring.signals


def test_an_excellent_reply_earns_each_technique_with_its_own_words_as_evidence() -> None:
    result = evaluate(CUSTOMER, EXCELLENT)

    assert {"acknowledged", "validated", "transparent", "next_step", "boundary"} <= result.signals
    assert not result.signals & {"asked_for_secret", "dismissed", "blamed", "hostile"}
    for name in ("acknowledges_feeling", "validates", "next_step", "safety"):
        assert component(result, name).score == 100, name
    assert component(result, "active_listening").score >= 70
    assert "I can hear how worrying this is" in quotes(
        component(result, "acknowledges_feeling").evidence
    )
    assert any("£249" in quote for quote in quotes(component(result, "active_listening").evidence))
    assert result.composure >= 90


@pytest.mark.parametrize(
    "reply",
    [EXCELLENT, CURT, DISMISSIVE, HOSTILE, SHOUTING, CALM, "OK.", "um, I think, like, maybe?"],
)
def test_every_quote_in_the_evidence_is_the_replys_own_words(reply: str) -> None:
    result = evaluate(CUSTOMER, reply)
    all_evidence = [
        line
        for part in (*result.empathy_components, *result.composure_components)
        for line in part.evidence
    ]

    assert quotes(result.evidence), result.evidence
    for quote in quotes(result.evidence) + quotes(all_evidence):
        assert quote and quote in reply, quote
    assert result.tips and all(result.tips)


def test_a_dismissive_reply_is_flagged_and_told_what_to_say_instead() -> None:
    result = evaluate(CUSTOMER, DISMISSIVE)

    assert "dismissed" in result.signals
    assert component(result, "respect").score == 0
    assert {"Calm down", "it's just policy"} <= set(quotes(component(result, "respect").evidence))
    assert "Calm down" in result.tips[0]
    assert result.empathy <= 25


@pytest.mark.parametrize(
    "reply",
    [
        CURT,
        "What's your PIN?",
        "Could you read me the CVV on the back, please?",
        "I need your online banking password to stop the payment.",
        "So i can check can i take the long number across the front of your card",
        "Just give me the code we texted you.",
    ],
)
def test_asking_for_a_secret_sets_the_signal_and_the_first_tip_is_about_safety(reply: str) -> None:
    result = evaluate(CUSTOMER, reply)

    assert "asked_for_secret" in result.signals
    assert component(result, "safety").score == 0
    assert "PIN" in result.tips[0] and "back of your card" in result.tips[0]
    assert quotes(component(result, "safety").evidence)[0] in reply


@pytest.mark.parametrize(
    "reply",
    [
        "We will never ask for your PIN or password.",
        "Please don't share your card number with anyone, including me.",
        "Can you confirm the last four digits of your card number?",
    ],
)
def test_warning_about_secrets_or_asking_for_the_last_digits_is_not_asking(reply: str) -> None:
    result = evaluate(CUSTOMER, reply)

    assert "asked_for_secret" not in result.signals
    assert component(result, "safety").score >= 50


def test_promising_never_to_ask_is_a_boundary() -> None:
    result = evaluate(CUSTOMER, "We will never ask for your PIN or password.")

    assert "boundary" in result.signals
    assert component(result, "safety").score > component(evaluate(CUSTOMER, "OK."), "safety").score


def test_offering_a_safe_way_to_check_the_call_earns_full_safety() -> None:
    neutral = evaluate(CUSTOMER, "I'll block the card now.")
    safe = evaluate(
        CUSTOMER, "I'll block the card now. Hang up and call the number on the back of your card."
    )

    assert component(safe, "safety").score == 100
    assert component(neutral, "safety").score < 100
    assert safe.empathy > neutral.empathy
    assert "no safe way to check the call is genuine offered" in (
        component(neutral, "safety").evidence
    )


@pytest.mark.parametrize(
    ("reply", "signal"),
    [
        (HOSTILE, "hostile"),
        ("Oh great, another one of these. Whatever.", "sarcastic"),
        ("It's not my fault, I'm just doing my job.", "defensive"),
    ],
)
def test_hostile_sarcastic_and_defensive_replies_lose_composure(reply: str, signal: str) -> None:
    calm = evaluate(CUSTOMER, CALM)
    result = evaluate(CUSTOMER, reply)

    assert signal in result.signals
    assert result.composure <= 60
    assert result.composure < calm.composure
    assert result.empathy < calm.empathy


def test_hostile_words_are_quoted_and_cost_calm_wording() -> None:
    result = evaluate(CUSTOMER, HOSTILE)

    assert component(result, "calm_wording").score == 0
    assert {"Listen to me", "this is ridiculous", "I don't care what you think"} <= set(
        quotes(component(result, "calm_wording").evidence)
    )
    assert result.composure <= 35


def test_capitals_and_exclamation_marks_read_as_shouting() -> None:
    shouting = evaluate(CUSTOMER, SHOUTING)
    same_words_calmly = evaluate(CUSTOMER, "I already told you, stop asking.")

    assert component(shouting, "no_shouting").score < 50
    assert "I ALREADY TOLD YOU" in quotes(component(shouting, "no_shouting").evidence)
    assert shouting.composure < same_words_calmly.composure
    assert shouting.composure <= 50


def test_acronyms_in_capitals_are_not_shouting() -> None:
    result = evaluate(CUSTOMER, "We never ask for a PIN or CVV by SMS, and your ID is safe.")

    assert component(result, "no_shouting").score == 100


def test_fillers_and_hedges_are_cited_and_cost_composure() -> None:
    hesitant = evaluate(
        CUSTOMER, "Um, so, like, basically I think maybe we'll, you know, look into it, I guess."
    )
    clear = evaluate(CUSTOMER, "We'll look into it.")

    fillers = component(hesitant, "few_fillers")
    assert fillers.score < 50
    assert {"Um", "basically", "you know", "maybe"} <= set(quotes(fillers.evidence))
    assert hesitant.composure < clear.composure


def test_rambling_with_repeated_apologies_is_not_concise() -> None:
    rambling = " ".join(
        ["I'm so sorry about this, I really am sorry, and I do apologise again."] * 3
        # Raters give long, complete replies full marks: rambling starts well past 110 words.
        + ["Let me explain everything that happens on our side when a payment comes in."] * 12
    )
    result = evaluate(CUSTOMER, rambling)

    assert component(result, "concise").score < 40
    assured = component(result, "self_assured")
    assert assured.score < 50
    assert any("apologised" in line for line in assured.evidence)
    assert component(result, "apology").score < 50
    assert result.composure < evaluate(CUSTOMER, CALM).composure


def test_a_stock_i_understand_is_not_active_listening() -> None:
    stock = evaluate(CUSTOMER, "I understand.")
    reflecting = evaluate(CUSTOMER, "I understand: a £249 charge you didn't make.")

    assert component(stock, "active_listening").score == 0
    assert component(stock, "acknowledges_feeling").score < 50
    assert component(reflecting, "active_listening").score >= 60
    assert any('"249"' in tip and "I understand" in tip for tip in stock.tips)


def test_concerns_are_found_from_their_cues_whatever_the_inflection_or_case() -> None:
    result = evaluate(
        CUSTOMER,
        "I've BLOCKED the card and your REFUNDS are on their way; check it in our official app.",
        CONCERNS,
    )

    assert result.concerns_addressed == {"card_blocked", "refund", "proof_of_identity"}


@pytest.mark.parametrize(
    ("reply", "addressed"),
    [
        ("I'm freezing it as we speak.", {"card_blocked"}),
        ("You'll get your money back by Friday.", {"refund"}),
        ("Your money will come back.", set()),  # the words of "money back" must be together
        ("A replacement is on its way, and a new card follows.", {"new_card"}),
        ("I like your cardigan.", set()),
    ],
)
def test_concern_cues_match_whole_words_in_order(reply: str, addressed: set[str]) -> None:
    assert evaluate(CUSTOMER, reply, CONCERNS).concerns_addressed == addressed


def test_a_whisper_style_transcript_is_read_like_the_typed_reply() -> None:
    transcript = "i can hear how worrying this is ill block the card now and call you back by 5"
    typed = evaluate(CUSTOMER, CALM)
    heard = evaluate(CUSTOMER, transcript)

    assert {"acknowledged", "next_step"} <= heard.signals
    assert component(heard, "next_step").score == component(typed, "next_step").score == 100
    assert abs(heard.empathy - typed.empathy) <= 10
    assert all(quote in transcript for quote in quotes(heard.evidence))
    assert max(len(quote.split()) for quote in quotes(heard.evidence)) <= 12


def test_an_amount_spoken_in_words_echoes_the_customers_digits() -> None:
    result = evaluate(CUSTOMER, "That two hundred and forty-nine pounds will be refunded today.")

    assert component(result, "active_listening").score > 0
    assert any(
        "uses the customer's words" in line
        for line in component(result, "active_listening").evidence
    )


def test_a_next_step_without_a_time_is_told_to_say_when() -> None:
    untimed = evaluate(CUSTOMER, "We'll look into the £249 charge.")
    timed = evaluate(CUSTOMER, "I'll block the card within ten minutes.")

    assert component(untimed, "next_step").score < component(timed, "next_step").score
    assert any("Say when" in tip for tip in untimed.tips)
    assert "next_step" in untimed.signals


def test_a_limit_with_an_alternative_is_transparent_and_a_boundary() -> None:
    result = evaluate(
        CUSTOMER, "I can't reverse it myself, but I can raise a dispute right now for you."
    )

    assert {"transparent", "boundary", "next_step"} <= result.signals
    assert component(result, "transparency").score == 100


@pytest.mark.parametrize("reply", ["", "   ", "\n", "...", "?!"])
def test_an_empty_reply_scores_zero_and_still_explains(reply: str) -> None:
    result = evaluate(CUSTOMER, reply, CONCERNS, VoiceFeatures(None, 0, 0.0, None, None))

    assert result.empathy == 0
    assert result.composure == 0
    assert result.evidence == ("no reply was heard",)
    assert result.tips
    assert not result.signals and not result.concerns_addressed
    json.dumps(result.to_json())


def test_voice_outside_the_calm_range_lowers_composure_and_is_cited() -> None:
    steady = VoiceFeatures(140.0, 1, 0.6, -20.0, 3.0)
    rushed = VoiceFeatures(210.0, 4, 4.5, -20.0, 3.0)

    calm = evaluate(CUSTOMER, CALM, voice=steady)
    hurried = evaluate(CUSTOMER, CALM, voice=rushed)

    assert component(calm, "steady_pace").score == 100
    assert component(calm, "pauses").score == 100
    assert component(hurried, "steady_pace").score < 50
    assert component(hurried, "pauses").score < 50
    assert hurried.composure < calm.composure
    assert any("210 words a minute" in line for line in hurried.evidence)
    assert any("4.5 s" in line for line in hurried.evidence)
    assert any("Slow down" in tip for tip in hurried.tips)
    assert hurried.empathy == calm.empathy


def test_a_slow_pace_is_cited_too_and_unmeasured_pace_is_left_out() -> None:
    slow = evaluate(CUSTOMER, CALM, voice=VoiceFeatures(70.0, 0, 0.0, None, None))
    unmeasured = evaluate(CUSTOMER, CALM, voice=VoiceFeatures(None, 0, 0.0, None, None))
    text_only = evaluate(CUSTOMER, CALM)

    assert component(slow, "steady_pace").score < 100
    assert any("70 words a minute" in line for line in slow.evidence)
    names = {part.name for part in unmeasured.composure_components}
    assert "steady_pace" not in names and "pauses" in names
    assert not {"steady_pace", "pauses"} & {part.name for part in text_only.composure_components}


def test_the_result_serialises_to_the_stable_json_shape() -> None:
    shape = evaluate(CUSTOMER, EXCELLENT, CONCERNS).to_json()

    assert json.loads(json.dumps(shape)) == shape
    assert 0 <= shape["empathy"] <= 100  # type: ignore[operator]
    assert "safety" in shape["components"]  # type: ignore[operator]


def test_scores_stay_in_range_and_are_deterministic() -> None:
    replies = [EXCELLENT, CURT, DISMISSIVE, HOSTILE, SHOUTING, CALM, "OK."]
    first = [evaluate(CUSTOMER, reply, CONCERNS) for reply in replies]
    again = [evaluate(CUSTOMER, reply, CONCERNS) for reply in replies]

    assert first == again
    for result in first:
        assert 0 <= result.empathy <= 100 and 0 <= result.composure <= 100
        for part in (*result.empathy_components, *result.composure_components):
            assert 0 <= part.score <= 100


def test_one_bad_habit_limits_an_otherwise_warm_reply() -> None:
    warm = evaluate(CUSTOMER, EXCELLENT)
    asks_anyway = evaluate(CUSTOMER, EXCELLENT + " Before that, just tell me your PIN.")
    blames = evaluate(CUSTOMER, EXCELLENT + " Honestly though, you should have been more careful.")

    assert asks_anyway.empathy <= 40
    assert blames.empathy <= warm.empathy - 30
    assert "blamed" in blames.signals


PLAIN_QUESTION = "How long will it take to get the money back?"


def test_a_plain_question_answered_plainly_loses_no_empathy_for_naming_no_feeling() -> None:
    answer = evaluate(
        PLAIN_QUESTION,
        "Usually within five working days. I'll text you the reference number today.",
    )
    dodge = evaluate(PLAIN_QUESTION, "It depends.")

    names = {part.name for part in answer.empathy_components}
    assert not names & {"acknowledges_feeling", "validates", "apology"}
    assert component(answer, "answers_question").score >= 70
    assert answer.empathy >= 60
    assert dodge.empathy < 40
    assert "It depends" in quotes(component(dodge, "answers_question").evidence)


def test_a_worried_line_is_an_opportunity_for_empathy() -> None:
    result = evaluate(CUSTOMER, "Usually within five working days.")

    assert component(result, "acknowledges_feeling").score == 0
    assert result.empathy < evaluate(PLAIN_QUESTION, "Usually within five working days.").empathy


def test_one_apology_earns_it_and_grovelling_does_not() -> None:
    once = evaluate(CUSTOMER, "I'm sorry you've had this worry. I'll block the card now.")
    grovelling = evaluate(
        CUSTOMER, "I'm so sorry, I'm really sorry, I do apologise, I'm useless, I'm so sorry."
    )

    assert component(once, "apology").score == 100
    assert "apologised" in once.signals
    assert component(grovelling, "apology").score < 50
    assert component(grovelling, "self_assured").score < 50
    assert grovelling.composure < once.composure


def test_inviting_questions_is_credited() -> None:
    invites = evaluate(CUSTOMER, EXCELLENT + " Does that make sense?")

    assert component(invites, "checks_understanding").score == 100
    assert component(evaluate(CUSTOMER, EXCELLENT), "checks_understanding").score == 0
    assert invites.empathy > evaluate(CUSTOMER, EXCELLENT).empathy


ABUSE = "Are you stupid or something? Just fix it, idiot."


@pytest.mark.parametrize(
    "reply",
    [
        "Don't call me an idiot, you idiot.",
        "If you keep swearing I'll hang up on you. Understood?",
        "I'm so sorry, you're right, I'm useless, I'm really sorry, I'm so sorry.",
    ],
)
def test_an_abusive_customer_is_met_best_with_a_calm_boundary(reply: str) -> None:
    boundary = evaluate(
        ABUSE,
        "I want to fix this for you, and I need us to keep it respectful. "
        "I'm looking at your account now.",
    )
    worse = evaluate(ABUSE, reply)

    assert component(boundary, "boundary").score == 100
    assert "boundary" in boundary.signals
    assert component(worse, "boundary").score < 100
    assert worse.composure < boundary.composure
    assert "boundary" not in {part.name for part in evaluate(CUSTOMER, CALM).composure_components}


def test_impatience_and_blame_cost_composure_as_well_as_empathy() -> None:
    for reply in ("Like I said, I've already explained this.", "That's on you, you clicked it."):
        result = evaluate(CUSTOMER, reply)
        assert component(result, "calm_wording").score < 60, reply
        assert result.composure <= 60, reply


def test_concern_cues_allow_small_words_to_differ() -> None:
    result = evaluate(
        CUSTOMER, "I'm blocking your card now.", (Concern("fraud", ("block the card",)),)
    )

    assert result.concerns_addressed == {"fraud"}


MODEL_REPLIES = (
    "I can hear how worrying that is, and you were right to call straight away. I'm going to "
    "treat this as a payment you didn't make, and I'll block the card so nothing else can go out.",
)


def test_each_turn_names_its_strength_and_one_improvement_from_the_model_replies() -> None:
    result = evaluate(CUSTOMER, "I'll block the card now.", CONCERNS, model_replies=MODEL_REPLIES)

    assert result.strength.startswith("You promised a concrete step")
    assert "I'll block the card now" in result.strength
    assert "For example:" in result.improvement
    example = result.improvement.split('For example: "')[1].rstrip('"')
    assert example in MODEL_REPLIES[0]
    assert "worrying" in example  # the weakest part is naming the feeling; this sentence does
    shape = result.to_json()
    assert shape["strength"] == result.strength and shape["improvement"] == result.improvement


def test_without_model_replies_the_improvement_is_the_first_tip() -> None:
    result = evaluate(CUSTOMER, DISMISSIVE)

    assert result.improvement == result.tips[0]
    assert evaluate(CUSTOMER, "").improvement


def test_the_call_debrief_averages_components_and_names_what_to_practise() -> None:
    turns = [evaluate(CUSTOMER, EXCELLENT), evaluate(CUSTOMER, CURT), evaluate(CUSTOMER, CALM)]

    summary = debrief(turns)

    assert summary.turns == 3
    assert summary.empathy == round(sum(t.empathy for t in turns) / 3)
    by_name = {average.name: average for average in summary.components}
    assert by_name["safety"].score == round((100 + 0 + 50) / 3)
    assert summary.weakest == summary.components[0].name
    assert summary.components[0].score <= summary.components[-1].score
    assert summary.practise_next and summary.strength
    json.dumps(summary.to_json())
    assert debrief([]).turns == 0


CALM_VOICE = VoiceFeatures(140.0, 1, 0.6, -26.0, 6.0, 2.0, 1.0, 0.0, 100.0, 0, 0.0, 8.0)


def test_a_raised_voice_is_judged_against_the_trainees_own_baseline() -> None:
    louder_higher = VoiceFeatures(150.0, 1, 0.6, -15.0, 6.0, 2.0, 1.0, 4.0, 126.0, 0, 0.0, 8.0)
    baseline = baseline_from([CALM_VOICE, CALM_VOICE])

    against_ranges = evaluate(CUSTOMER, CALM, voice=louder_higher)
    against_baseline = evaluate(CUSTOMER, CALM, voice=louder_higher, baseline=baseline)

    assert component(against_ranges, "steady_volume").score == 100  # a usual microphone level
    assert component(against_baseline, "steady_volume").score < 100
    assert component(against_baseline, "steady_pitch").score < 100
    assert against_baseline.composure < against_ranges.composure
    assert any("+11 dB against your usual -26 dBFS" in line for line in against_baseline.evidence)


def test_hesitation_sounds_and_a_slow_start_cost_composure_with_their_ranges() -> None:
    hesitant = VoiceFeatures(140.0, 1, 0.6, -26.0, 6.0, 2.0, 6.0, 0.0, 100.0, 3, 22.5, 8.0)

    result = evaluate(CUSTOMER, CALM, voice=hesitant)

    assert component(result, "fillers_heard").score < 100
    assert component(result, "prompt_start").score < 100
    assert any("3 hesitation sounds (22 a minute; calm up to 4)" in e for e in result.evidence)
    assert any("started after 6.0 s (calm up to 3 s)" in e for e in result.evidence)
    assert result.composure < evaluate(CUSTOMER, CALM, voice=CALM_VOICE).composure


def test_every_voice_figure_is_reported_with_its_range() -> None:
    shape = CALM_VOICE.to_json()

    assert shape["words_per_minute"] == {"value": 140.0, "range": [100.0, 165.0]}
    assert shape["loudness_db"] == {"value": -26.0, "range": [-40.0, -12.0]}
    assert baseline_from([]) is None
