"""Relevance, cut-off replies, the tone of a reply and words the recogniser was unsure of.

The replies here are written for these tests, in the issue's own examples where it gives them;
none comes from a labelled set.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.core.evaluation import evaluate, semantic
from app.core.evaluation.reading import Reply
from app.core.scenario import Scenario, load_scenario
from app.core.transcript import Transcript, Word
from app.paths import SHIPPED_SCENARIOS_DIR

# These tests pin what the rules find; the learned layer on top is measured by calibrate.
pytestmark = pytest.mark.usefixtures("rules_only")

CHARGE = (
    "There's a payment of two hundred and forty-nine pounds on my card that I never made. "
    "Someone's taken my money and I want to know what you're going to do about it."
)
REFUND = "I was promised a refund three weeks ago and it still isn't in my account. Where is it?"
DELIVERY = "My parcel says delivered but it never came, and now the shop says it's my problem."
ANSWERS_CHARGE = (
    "I can hear how worrying that is. I'm blocking the card now so nothing else can go out, "
    "and I'll raise a dispute on the £249 today."
)
ANSWERS_REFUND = (
    "I'm sorry it's taken three weeks. I can see the refund was approved on Monday; "
    "I'll chase the payments team today and call you by five with a date."
)
FORMULA_FOR_CARDS = (
    "I can hear how worrying this is, you're right to be careful, I'll block the card today."
)


@pytest.fixture(scope="module")
def charge_scenario() -> Scenario:
    return load_scenario(SHIPPED_SCENARIOS_DIR / "unrecognised-charge.toml")


def test_a_reply_that_answers_this_customer_beats_a_formula_written_for_another() -> None:
    relevant = evaluate(REFUND, ANSWERS_REFUND)
    formula = evaluate(REFUND, FORMULA_FOR_CARDS)

    assert relevant.empathy - formula.empathy >= 15
    assert "formula" in formula.signals and "formula" not in relevant.signals
    assert formula.evidence[0].startswith("stock phrases that would fit any call")


def test_the_same_words_are_relevant_to_the_customer_they_answer() -> None:
    assert "formula" not in evaluate(CHARGE, FORMULA_FOR_CARDS).signals
    assert evaluate(CHARGE, ANSWERS_CHARGE).empathy > evaluate(REFUND, ANSWERS_CHARGE).empathy


@pytest.mark.parametrize(
    "reply",
    [
        "The weather is lovely today, isn't it?",
        "While I have you, our new savings account has a great rate this month.",
    ],
)
def test_a_polite_reply_about_something_else_earns_little_empathy(reply: str) -> None:
    result = evaluate(CHARGE, reply)

    assert result.empathy <= 35
    assert {"off_topic", "formula"} & result.signals
    credited = [line for line in result.evidence if "gives a specific answer" in line]
    assert not credited, "the weather is no answer"


def test_a_sales_pitch_to_a_worried_customer_earns_little_empathy() -> None:
    result = evaluate(
        CHARGE, "Have you seen our new broadband deals? They're very good value this month."
    )

    assert result.empathy <= 35
    assert not any("gives a specific answer" in line for line in result.evidence)


def test_a_cut_off_reply_is_unfinished_not_calm_and_its_last_promise_is_no_step() -> None:
    whole = evaluate(REFUND, "I'm sorry about the wait. I'll chase the refund today.")
    cut = evaluate(REFUND, "I'm sorry about the wait. I'll chase the refund and I'll")

    assert "cut_off" in cut.signals and "cut_off" not in whole.signals
    assert cut.composure <= 50 < whole.composure
    steps = {part.name: part.score for part in cut.empathy_components}
    assert steps["next_step"] == 0
    assert any("stops mid-sentence" in line for line in cut.evidence)


@pytest.mark.parametrize(
    "text",
    ["I'll look into the", "Right, so what I can do is -", "Let me just check your..."],
)
def test_replies_that_trail_off_are_cut_off(text: str) -> None:
    assert Reply(text).is_cut_off


@pytest.mark.parametrize(
    "text", ["I'll call you back.", "Can I help?", "That's what I'll do.", "Hold on."]
)
def test_finished_replies_are_not_cut_off(text: str) -> None:
    assert not Reply(text).is_cut_off


CALM_AND_CLEAR = (
    "I'm sorry about this. I've found the refund: it was approved on Monday and will reach "
    "your account by Friday. I'll text you the reference now."
)


@pytest.mark.parametrize(
    ("reply", "highest"),
    [
        ("Honestly, you're overreacting about a few pounds.", 35),  # condescension
        ("Look, I've explained this twice already.", 35),  # impatience
        ("As I'm sure you know, refunds take time.", 35),  # condescension
        ("Your choice.", 35),  # a cold brush-off
        ("It's head office's rule, not mine.", 55),  # blame-shifting
        ("I'm sorry you feel that way.", 55),  # passive aggression
        ("No.", 60),  # a curt refusal
        ("You're an idiot.", 15),  # hostility
        (
            "I'm so sorry, I'm really sorry, I do apologise, I'm so sorry about this, sorry.",
            55,
        ),  # over-apology
        (
            "Um, I think, maybe, it's, like, probably on its way, I guess? I'm not sure, "
            "basically.",
            55,
        ),  # nervous hedging
    ],
)
def test_composure_falls_to_the_rubrics_level_for_each_habit(reply: str, highest: int) -> None:
    result = evaluate(REFUND, reply)

    assert result.composure <= highest, result.composure_components
    assert result.composure < evaluate(REFUND, CALM_AND_CLEAR).composure


def test_calm_clear_confident_wording_earns_full_composure_and_a_wobble_a_little_less() -> None:
    clear = evaluate(REFUND, CALM_AND_CLEAR)
    wobbly = evaluate(REFUND, "Um, I think the refund was approved on Monday, maybe, I'll check.")

    assert clear.composure >= 90
    assert 40 <= wobbly.composure < clear.composure


def test_composure_uses_the_whole_range() -> None:
    replies = [
        "Shut up, you idiot.",
        "Oh great, another one. Calm down.",
        "It's not my fault, I just answer the phones.",
        "Erm, I think it's, like, probably fine? Maybe?",
        CALM_AND_CLEAR,
    ]
    levels = {evaluate(REFUND, reply).composure // 20 for reply in replies}

    assert {0, 1, 2, 4} <= {min(level, 4) for level in levels}


def test_a_calm_boundary_with_an_abusive_customer_is_composed() -> None:
    abusive = "Are you stupid or something? This is the third time I've called, you useless lot."
    boundary = evaluate(
        abusive,
        "I want to sort this out, and I need us to keep it respectful. "
        "Let's look at your account now.",
    )
    no_boundary = evaluate(abusive, "Okay. Let me look at the account.")
    hitting_back = evaluate(abusive, "Right back at you, mate.")

    assert boundary.composure > no_boundary.composure > hitting_back.composure


def test_exploring_questions_are_listening_not_blame() -> None:
    result = evaluate(
        "I never made that payment and now my card doesn't work.",
        "What happened when you tried to use the card? Can you tell me which payment you "
        "don't recognise?",
    )
    parts = {part.name: part for part in result.empathy_components}

    assert parts["active_listening"].score >= 50
    assert parts["respect"].score == 100
    assert "blamed" not in result.signals
    assert any("asks about their situation" in line for line in result.evidence)


def test_plain_sympathy_acknowledges_the_feeling() -> None:
    result = evaluate(CHARGE, "I'm so sorry, that's an awful thing to find.")

    parts = {part.name: part.score for part in result.empathy_components}
    assert parts["acknowledges_feeling"] == 100
    assert "acknowledged" in result.signals


def test_swearing_in_sympathy_is_sympathy_not_hostility() -> None:
    rough = evaluate(REFUND, "That's a shitty thing to happen. I'll chase the refund today.")
    at_them = evaluate(REFUND, "Stop being so shitty about it. I'll chase the refund today.")

    assert "hostile" not in rough.signals
    assert rough.composure > at_them.composure
    assert rough.composure < evaluate(REFUND, "I'll chase the refund today.").composure
    assert rough.empathy > at_them.empathy


def test_words_the_recogniser_was_unsure_of_are_never_credited() -> None:
    text = "I can hear how worrying this is. I'll block the card now."
    words = tuple(
        Word(word, 0.0, 0.0, 0.1 if word in {"hear", "worrying"} else 0.95) for word in text.split()
    )
    transcript = Transcript(text, "whisper", 0.7, words)
    spans = transcript.unsure_spans()

    unsure = evaluate(CHARGE, text, unsure=spans)
    sure = evaluate(CHARGE, text)

    assert [text[start:end] for start, end in spans] == ["hear", "worrying"]
    assert "acknowledged" in sure.signals and "acknowledged" not in unsure.signals
    assert not any("worrying" in line for line in unsure.evidence)
    assert Transcript.typed(text).unsure_spans() == ()
    assert transcript.corrected(text).unsure_spans() == ()


def test_a_reply_about_the_scenarios_concern_is_relevant(charge_scenario: Scenario) -> None:
    result = evaluate(CHARGE, "Let me freeze the card for you right now.", charge_scenario.concerns)

    assert not {"off_topic", "formula"} & result.signals


@pytest.fixture
def without_embeddings() -> Iterator[None]:
    semantic.set_enabled(False)
    yield
    semantic.set_enabled(True)


@pytest.mark.usefixtures("without_embeddings")
def test_without_the_embeddings_the_scorer_still_works_by_the_words() -> None:
    assert not semantic.available()
    relevant = evaluate(REFUND, ANSWERS_REFUND)
    formula = evaluate(REFUND, FORMULA_FOR_CARDS)

    assert relevant.empathy > formula.empathy
    assert "formula" in formula.signals


def test_the_embeddings_ship_in_the_installed_package() -> None:
    assert semantic.available()
    near = semantic.similarity("I'll dispute the transaction.", "a payment I never made")
    far = semantic.similarity("The weather is lovely today.", "a payment I never made")
    assert near is not None and far is not None and near > far
