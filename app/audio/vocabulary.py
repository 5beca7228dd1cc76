"""The words a scenario's trainee is likely to say, as a prompt for Whisper.

Whisper tiny.en mishears words it has no reason to expect: "bill" as "build", "were added" as
"we're out of". Its initial prompt is read as what was said just before the audio, so naming
the call's words there makes them likelier: the customer's name, the amounts of money, and the
phrases the scenario's concerns listen for ("paper bill", "direct debit", "line protection").
The stage's model replies are left out: they are what a good trainee says, and a prompt built
from them would teach Whisper the answer rather than the vocabulary.
"""

from __future__ import annotations

import itertools
import re

from app.core.scenario import Scenario

# Whisper keeps the last 223 prompt tokens; about 60 words leave room for earlier speech.
MAX_PROMPT_WORDS = 60
_AMOUNT = re.compile(r"£\s?\d+(?:[.,]\d+)?|\d+(?:\.\d+)?\s?(?:pounds|percent|%)")


def scenario_vocabulary(scenario: Scenario) -> str:
    """A short prompt of the scenario's names, amounts and key phrases, most telling first."""
    persona = scenario.persona
    terms: list[str] = [persona.name, persona.name.split()[0]]
    terms += _AMOUNT.findall(" ".join((persona.situation, scenario.summary)))
    # Phrases of two or more words say more than single words ("paper bill" over "bill"). Taken
    # from every concern in turn, each in the author's order (a concern's central words first),
    # so that the prompt covers the whole call, not only its first worry.
    cues = list(
        itertools.chain.from_iterable(
            itertools.zip_longest(*(concern.cues for concern in scenario.concerns))
        )
    )
    terms += [cue for cue in cues if cue and " " in cue.strip()]
    terms += [cue for cue in cues if cue and " " not in cue.strip()]
    prompt: list[str] = []
    seen: set[str] = set()
    words = 0
    for term in terms:
        cleaned = term.strip().strip(".,")
        key = cleaned.casefold()
        if not cleaned or key in seen or any(key in other for other in seen):
            continue
        if words + len(cleaned.split()) > MAX_PROMPT_WORDS:
            break
        seen.add(key)
        prompt.append(cleaned)
        words += len(cleaned.split())
    return ", ".join(prompt) + "." if prompt else ""
