"""What each named part of a score is called in a report, and how to practise it.

The scorer names the parts; a part added later and not listed here still shows, under its name
with the underscores turned into spaces.
"""

from __future__ import annotations

_LABELS = {
    "acknowledges_feeling": "Acknowledging feelings",
    "validates": "Validating caution",
    "active_listening": "Active listening",
    "transparency": "Being transparent",
    "next_step": "Offering a next step",
    "safety": "Keeping the customer safe",
    "respect": "Respect",
    "calm_wording": "Calm wording",
    "no_shouting": "No shouting",
    "not_defensive": "Not defensive",
    "concise": "Being concise",
    "few_fillers": "Few fillers",
    "steady_pace": "Steady pace",
    "pauses": "Pauses",
}

_ADVICE = {
    "acknowledges_feeling": "Name the customer's feeling before anything else: "
    '"I can hear how worrying this is."',
    "validates": 'Tell a wary customer their caution is right: "You\'re right to be careful."',
    "active_listening": "Repeat the customer's own words and concern back before answering.",
    "transparency": "Say plainly what you can see and what you cannot, and why.",
    "next_step": "End each reply with a concrete next step and when it will happen.",
    "safety": "Never ask for a password, PIN or full card number; say that you never will.",
    "respect": "Drop words that blame or talk down to the customer.",
    "calm_wording": "Answer sarcasm or anger with plain, level wording.",
    "no_shouting": "Keep capitals and exclamation marks out of replies.",
    "not_defensive": 'Leave out "it\'s not my fault" and "that\'s our policy"; explain instead.',
    "concise": "Say one thing at a time in short sentences.",
    "few_fillers": 'Replace "um", "like" and "I guess" with a short pause.',
    "steady_pace": "Speak at about 140 words a minute: slower than feels natural under stress.",
    "pauses": "Keep pauses under two seconds; take a breath before you start instead.",
}


def component_label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " ").capitalize())


def practice_advice(name: str) -> str:
    return _ADVICE.get(name, f"Work on {component_label(name).lower()}.")
