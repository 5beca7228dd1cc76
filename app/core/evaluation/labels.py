"""How each component is named to the trainee, and what earning it sounds like."""

from __future__ import annotations

from typing import Final

# name -> (what the component is, said as a strength)
COMPONENT_LABELS: Final = {
    "acknowledges_feeling": ("naming the customer's feeling", "You named the feeling"),
    "validates": ("validating their caution", "You told them their caution was right"),
    "apology": ("one sincere apology", "You apologised once, without grovelling"),
    "active_listening": ("reflecting their concern", "You reflected their own concern"),
    "answers_question": ("answering the question", "You answered the question plainly"),
    "transparency": ("explaining why and what next", "You explained what is going on"),
    "next_step": ("a concrete next step", "You promised a concrete step"),
    "checks_understanding": ("checking they understood", "You checked it made sense to them"),
    "safety": ("keeping the customer safe", "You kept them safe from scams"),
    "respect": ("respect", "You stayed respectful"),
    "relevance": ("answering this customer", "You answered what this customer said"),
    "calm_wording": ("calm wording", "Your wording stayed calm"),
    "no_shouting": ("a level tone in writing", "You kept a level tone"),
    "not_defensive": ("not being defensive", "You owned the problem"),
    "concise": ("keeping it short", "You kept it short"),
    "self_assured": ("sounding sure of yourself", "You sounded sure of yourself"),
    "few_fillers": ("few fillers and hedges", "You spoke without fillers"),
    "boundary": ("a calm boundary", "You set a calm boundary"),
    "respectful_tone": ("a respectful tone", "You spoke to them as an equal"),
    "complete": ("finishing the sentence", "You finished what you set out to say"),
    "clear": ("a clear answer", "You said it clearly and in full"),
    "on_the_point": ("staying on the point", "You stayed on the point"),
    "steady_pace": ("a steady pace", "Your pace was steady"),
    "pauses": ("few long pauses", "You kept going without long pauses"),
    "steady_volume": ("a steady volume", "Your volume stayed level"),
    "steady_pitch": ("a steady pitch", "Your pitch stayed level"),
    "prompt_start": ("starting promptly", "You started answering promptly"),
    "fillers_heard": ("few hesitation sounds", "You spoke without hesitation sounds"),
}


def describe(name: str) -> str:
    """What a component is, in the trainee's words ("a concrete next step")."""
    return COMPONENT_LABELS.get(name, (name.replace("_", " "), ""))[0]


def praise(name: str) -> str:
    """A component said as a strength ("You promised a concrete step")."""
    return COMPONENT_LABELS.get(name, ("", f"Good {name.replace('_', ' ')}"))[1]
