"""Each scenario's words as Whisper's prompt: names, amounts, the concerns' phrases."""

from __future__ import annotations

from app.audio.vocabulary import MAX_PROMPT_WORDS, scenario_vocabulary
from app.core.scenario import find_scenario, load_scenarios
from app.paths import SHIPPED_SCENARIOS_DIR


def _scenario(identifier: str):  # type: ignore[no-untyped-def]
    scenarios, _errors = load_scenarios([SHIPPED_SCENARIOS_DIR])
    return find_scenario(scenarios, identifier)


def test_the_prompt_names_the_customer_the_amounts_and_the_bill_phrases() -> None:
    prompt = scenario_vocabulary(_scenario("price-rise-hidden-fees"))

    assert prompt.startswith("Jean Calloway, ")
    assert "£47.50" in prompt
    assert "paper bill" in prompt
    assert "line protection" in prompt


def test_every_shipped_prompt_is_short_and_free_of_the_model_replies() -> None:
    scenarios, _errors = load_scenarios([SHIPPED_SCENARIOS_DIR])
    for scenario in scenarios:
        prompt = scenario_vocabulary(scenario)
        assert 5 < len(prompt.split()) <= MAX_PROMPT_WORDS + 1, scenario.id
        for stage in scenario.stages:
            for reply in stage.model_replies:
                assert reply not in prompt
