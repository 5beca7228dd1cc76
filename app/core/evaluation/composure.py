"""Composure: how steady the trainee sounds, from the words and, when measured, the voice.

A suspicious customer reads nerves and temper as signs that something is wrong, so hostility,
capitals, defensiveness, rambling and fillers all cost composure.
"""

from __future__ import annotations

import re
from typing import Final

from app.core.evaluation import phrases as p
from app.core.evaluation.phrases import Hit, Judged, Reply, quoted
from app.core.evaluation.result import Component
from app.core.voice import VoiceFeatures

# How much each part counts towards the composure score; the voice parts only when measured.
COMPOSURE_WEIGHTS: Final = {
    "calm_wording": 30,
    "no_shouting": 20,
    "not_defensive": 20,
    "concise": 15,
    "few_fillers": 15,
    "steady_pace": 15,
    "pauses": 10,
}
CONCISE_WORDS = 60  # a calm reply says what it must in about this many words
RAMBLING_WORDS = 120
APOLOGIES_BEFORE_UNSURE = 2
WORDS_PER_ALLOWED_FILLER = 25

_HOSTILE = p.compile_phrases(p.HOSTILE)
_SARCASTIC = p.compile_phrases(p.SARCASTIC)
_DEFENSIVE = p.compile_phrases(p.DEFENSIVE)
_FILLERS = p.compile_phrases(p.FILLERS)
_HEDGES = p.compile_phrases(p.HEDGES)
_APOLOGY_WORD = re.compile(r"\b(?:sorry|apologi[sz]e\w*|apologies)\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_EXCLAMATIONS = re.compile(r"!{2,}|\?!|!\?")


def judge_composure(reply: Reply, voice: VoiceFeatures | None) -> tuple[Judged, ...]:
    """Every composure component of a reply; pace and pauses only when the voice was measured."""
    judged = [
        _calm_wording(reply),
        _no_shouting(reply),
        _not_defensive(reply),
        _concise(reply),
        _few_fillers(reply),
    ]
    if voice is not None:
        if voice.words_per_minute is not None:
            judged.append(_steady_pace(voice.words_per_minute))
        judged.append(_pauses(voice))
    return tuple(judged)


def _calm_wording(reply: Reply) -> Judged:
    hostile = reply.find(_HOSTILE)
    sarcastic = reply.find(_SARCASTIC)
    hits = sorted(hostile + sarcastic, key=lambda hit: hit.start)
    if not hits:
        return Judged(Component("calm_wording", 100, ("no hostile or sarcastic wording",)))
    evidence = [quoted(hit, "hostile wording") for hit in hostile]
    evidence += [quoted(hit, "sounds sarcastic") for hit in sarcastic]
    worst = max(hits, key=lambda hit: hit.weight)
    signals = ({"hostile"} if hostile else set()) | ({"sarcastic"} if sarcastic else set())
    return Judged(
        Component("calm_wording", max(0, 100 - sum(h.weight for h in hits)), tuple(evidence)),
        f'Keep the wording neutral: take out "{worst.quote}".',
        frozenset(signals),
    )


def _no_shouting(reply: Reply) -> Judged:
    """Capitals and "!!" in a typed reply read as raised voice."""
    text = reply.text
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 10 and sum(ch.isupper() for ch in letters) / len(letters) > 0.6:
        return Judged(
            Component("no_shouting", 0, (f'"{reply.quote(0, 1)}" - all in capitals',)),
            "Don't write in capitals: a level tone is what reassures a suspicious customer.",
        )
    evidence = [f'"{run}" - in capitals' for run in _shouted_runs(text)]
    for mark in _EXCLAMATIONS.finditer(text):
        before = reply.quote(max(0, mark.start() - 1), mark.start())
        with_mark = f"{before}{mark.group()}"
        evidence.append(f'"{with_mark if with_mark in text else mark.group()}" - exclaimed')
    if not evidence:
        return Judged(Component("no_shouting", 100, ("no capitals or repeated exclamation marks",)))
    return Judged(
        Component("no_shouting", max(0, 100 - 40 * len(evidence)), tuple(evidence)),
        'Drop the capitals and "!!": a level tone is what reassures a suspicious customer.',
    )


def _shouted_runs(text: str) -> list[str]:
    """Runs of capitalised words that are not acronyms: two or more, or one long word."""
    runs: list[list[re.Match[str]]] = []
    previous_end = -1
    for word in _WORD.finditer(text):
        shouted = len(word.group()) >= 2 and word.group().isupper()
        if not shouted or word.group().replace("'", "") in p.ACRONYMS:
            previous_end = -1
            continue
        if runs and previous_end >= 0 and not text[previous_end : word.start()].strip(" ,"):
            runs[-1].append(word)
        else:
            runs.append([word])
        previous_end = word.end()
    return [
        text[run[0].start() : run[-1].end()]
        for run in runs
        if len(run) >= 2 or len(run[0].group()) >= 4
    ]


def _not_defensive(reply: Reply) -> Judged:
    hits = reply.find(_DEFENSIVE)
    if not hits:
        return Judged(Component("not_defensive", 100, ("no defensive phrases",)))
    worst = max(hits, key=lambda hit: hit.weight)
    return Judged(
        Component(
            "not_defensive",
            max(0, 100 - sum(hit.weight for hit in hits)),
            tuple(quoted(hit, "sounds defensive") for hit in hits),
        ),
        f'Leave out "{worst.quote}": own the problem instead: "Let me sort this out for you."',
        frozenset({"defensive"}),
    )


def _concise(reply: Reply) -> Judged:
    words = reply.word_count
    if words <= CONCISE_WORDS:
        score = 100
    elif words <= RAMBLING_WORDS:
        score = 100 - (words - CONCISE_WORDS)
    else:
        score = max(10, 40 - (words - RAMBLING_WORDS) // 3)
    counted = "1 word" if words == 1 else f"{words} words"
    evidence = [f"{counted} (a calm reply says it in under {CONCISE_WORDS})"]
    tip = None
    if score < 100:
        tip = (
            "Keep it short: one acknowledgement, one explanation, one step "
            f"(under {CONCISE_WORDS} words)."
        )
    apologies = len(_APOLOGY_WORD.findall(reply.folded))
    if apologies > APOLOGIES_BEFORE_UNSURE:
        score = max(0, score - 20 * (apologies - APOLOGIES_BEFORE_UNSURE))
        evidence.append(f"apologised {apologies} times")
        tip = "Apologise once, then act: repeated apologies sound unsure."
    return Judged(Component("concise", score, tuple(evidence)), tip)


def _few_fillers(reply: Reply) -> Judged:
    fillers = reply.find(_FILLERS)
    hedges = reply.find(_HEDGES)
    found = sorted(fillers + hedges, key=lambda hit: hit.start)
    if not found:
        return Judged(Component("few_fillers", 100, ("no fillers or hedges",)))
    allowed = reply.word_count // WORDS_PER_ALLOWED_FILLER
    score = max(0, 100 - 20 * max(0, len(found) - allowed))
    said = [_exact(reply, hit) for hit in found]
    evidence = [f'"{word}" - filler' for word in said if _exact_in(reply, word, fillers)]
    evidence += [f'"{word}" - hedge' for word in said if _exact_in(reply, word, hedges)]
    examples = ", ".join(f'"{word}"' for word in dict.fromkeys(said))
    tip = None
    if score < 100:
        tip = f"Cut the fillers and hedges ({examples}): a short pause sounds surer."
    return Judged(Component("few_fillers", score, tuple(dict.fromkeys(evidence))), tip)


def _exact(reply: Reply, hit: Hit) -> str:
    return reply.text[hit.start : hit.end].strip(" ,")


def _exact_in(reply: Reply, word: str, hits: list[Hit]) -> bool:
    return any(_exact(reply, hit) == word for hit in hits)


def _steady_pace(words_per_minute: float) -> Judged:
    low, high = VoiceFeatures.WORDS_PER_MINUTE_RANGE
    figure = f"{words_per_minute:.0f} words a minute (calm range {low:.0f}-{high:.0f})"
    if low <= words_per_minute <= high:
        return Judged(Component("steady_pace", 100, (figure,)))
    distance = low - words_per_minute if words_per_minute < low else words_per_minute - high
    score = max(0, round(100 - 2.5 * distance))
    if words_per_minute > high:
        tip = f"Slow down: {words_per_minute:.0f} words a minute sounds rushed; aim for about 140."
    else:
        tip = f"Pick up the pace a little: {words_per_minute:.0f} words a minute sounds hesitant."
    return Judged(Component("steady_pace", score, (figure,)), tip)


def _pauses(voice: VoiceFeatures) -> Judged:
    _, longest_allowed = VoiceFeatures.LONGEST_PAUSE_RANGE
    longest = voice.longest_pause_seconds
    pauses = "1 pause" if voice.pause_count == 1 else f"{voice.pause_count} pauses"
    figure = f"{pauses}, the longest {longest:.1f} s (calm up to {longest_allowed:.1f} s)"
    if longest <= longest_allowed:
        return Judged(Component("pauses", 100, (figure,)))
    score = max(0, round(100 - 30 * (longest - longest_allowed)))
    return Judged(
        Component("pauses", score, (figure,)),
        f"Keep pauses under {longest_allowed:.0f} s: if you need time, say "
        '"Let me just check that for you."',
    )
