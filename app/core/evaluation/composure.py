"""Composure: how steady the trainee sounds, from the words and, when measured, the voice.

A suspicious customer reads nerves and temper as signs that something is wrong, so hostility,
capitals, defensiveness, rambling and fillers all cost composure.
"""

from __future__ import annotations

import re
from typing import Final

from app.core.evaluation import phrases as p
from app.core.evaluation import tone as t
from app.core.evaluation.customer import CustomerTurn
from app.core.evaluation.reading import Hit, Judged, Reply, compile_phrases, quoted
from app.core.evaluation.result import Component

# How much each part heard in the words counts towards the composure score.
WORDING_WEIGHTS: Final = {
    "calm_wording": 30,
    "no_shouting": 20,
    "not_defensive": 20,
    "concise": 10,
    "self_assured": 10,
    "few_fillers": 15,
    "boundary": 15,
    "respectful_tone": 20,
    "complete": 10,
    "clear": 10,
}
CONCISE_WORDS = 110  # a calm reply says what it must in about this many words
RAMBLING_WORDS = 180
APOLOGIES_BEFORE_UNSURE = 2
WORDS_PER_ALLOWED_FILLER = 25
CURT_WORDS = 12  # a refusal in a reply this short has nothing with it
# The most composure a finding allows, by the rubric's levels (0-19 is 0, ..., 80-100 is 4):
# hostility is level 0; irritation, sarcasm, condescension and brush-offs level 1; defensive,
# passive-aggressive, curt, grovelling, rambling, nervous or cut-off replies level 2; a small
# wobble (a filler too many, a bit long, rough words in sympathy) level 3.
GROVELLING_LOSS = 25  # points of self-assurance lost from which a reply sounds unsteady
LIMIT_HOSTILE = 10
LIMIT_IRRITATED = 30
LIMIT_UNSTEADY = 50
LIMIT_CURT = 55
LIMIT_WOBBLE = 75
LIMIT_ROUGH = 70

_HOSTILE = compile_phrases(p.HOSTILE)
_SARCASTIC = compile_phrases(p.SARCASTIC)
_IMPATIENT = compile_phrases(p.IMPATIENT)
_BLAMES = compile_phrases(p.BLAMES)
_GROVELLING = compile_phrases(p.GROVELLING)
_RESPECTFUL_BOUNDARY = compile_phrases(p.RESPECTFUL_BOUNDARY)
_REDIRECTS = compile_phrases(p.REDIRECTS)
_THREATENS = compile_phrases(p.THREATENS)
_DEFENSIVE = compile_phrases(p.DEFENSIVE)
_FILLERS = compile_phrases(p.FILLERS)
_HEDGES = compile_phrases(p.HEDGES)
_APOLOGY_WORDS = compile_phrases((r"sorry|apologi[sz]e\w*|apologies",))
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")
_EXCLAMATIONS = re.compile(r"!{2,}|\?!|!\?")
_CONDESCENDING = compile_phrases(t.CONDESCENDING)
_PASSIVE_AGGRESSIVE = compile_phrases(t.PASSIVE_AGGRESSIVE)
_BRUSH_OFFS = compile_phrases(t.BRUSH_OFFS)
_CURT_REFUSALS = compile_phrases(t.CURT_REFUSALS)
_PROFANE_SYMPATHY = compile_phrases(t.PROFANE_SYMPATHY)
# Swearing at the situation is still unprofessional on a call, but it is not hostility.
PROFANE_SYMPATHY_COST = 35


def judge_wording(reply: Reply, customer: CustomerTurn) -> tuple[Judged, ...]:
    """The composure components heard in the words; a boundary only when the customer abused."""
    judged = [
        _calm_wording(reply),
        _no_shouting(reply),
        _not_defensive(reply),
        _concise(reply),
        _self_assured(reply),
        _few_fillers(reply),
        _respectful_tone(reply),
        _complete(reply),
        _clear(reply),
    ]
    if customer.is_abusive:
        judged.append(_boundary(reply))
    return tuple(judged)


def _calm_wording(reply: Reply) -> Judged:
    rough = reply.find(_PROFANE_SYMPATHY)
    hostile = _outside(reply.find(_HOSTILE), rough)
    sarcastic = reply.find(_SARCASTIC)
    impatient = reply.find(_IMPATIENT) + reply.find(_BLAMES)
    hits = sorted(hostile + sarcastic + impatient, key=lambda hit: hit.start)
    if not hits and rough:
        return Judged(
            Component(
                "calm_wording",
                100 - PROFANE_SYMPATHY_COST,
                (quoted(rough[0], "sympathy in unprofessional words"),),
            ),
            f'Keep the sympathy, lose the swearing: say "that\'s an awful thing to happen" '
            f'instead of "{rough[0].quote}".',
            limit=LIMIT_ROUGH,
        )
    if not hits:
        return Judged(Component("calm_wording", 100, ("no hostile or sarcastic wording",)))
    evidence = [quoted(hit, "hostile wording") for hit in hostile]
    evidence += [quoted(hit, "sounds sarcastic") for hit in sarcastic]
    evidence += [quoted(hit, "sounds impatient") for hit in impatient]
    worst = max(hits, key=lambda hit: hit.weight)
    signals = ({"hostile"} if hostile else set()) | ({"sarcastic"} if sarcastic else set())
    limit = LIMIT_HOSTILE if hostile else max(15, LIMIT_IRRITATED - 5 * (len(hits) - 1))
    return Judged(
        Component("calm_wording", max(0, 100 - sum(h.weight for h in hits)), tuple(evidence)),
        f'Keep the wording neutral: take out "{worst.quote}".',
        frozenset(signals),
        limit,
    )


def _no_shouting(reply: Reply) -> Judged:
    """Capitals and "!!" in a typed reply read as raised voice."""
    text = reply.text
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 10 and sum(ch.isupper() for ch in letters) / len(letters) > 0.6:
        return Judged(
            Component("no_shouting", 0, (f'"{reply.quote(0, 1)}" - all in capitals',)),
            "Don't write in capitals: a level tone is what reassures a suspicious customer.",
            limit=LIMIT_HOSTILE,
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
        limit=LIMIT_UNSTEADY if len(evidence) == 1 else LIMIT_IRRITATED,
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
        LIMIT_UNSTEADY - 10 * (len(hits) - 1),
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
    limit = None
    if words > RAMBLING_WORDS:
        limit = LIMIT_UNSTEADY
    elif words > (CONCISE_WORDS + RAMBLING_WORDS) // 2:
        limit = LIMIT_WOBBLE
    return Judged(Component("concise", score, tuple(evidence)), tip, limit=limit)


def _self_assured(reply: Reply) -> Judged:
    """Apologising again and again, or putting yourself down, sounds panicked, not caring."""
    apologies = len(reply.find(_APOLOGY_WORDS))
    grovelling = reply.find(_GROVELLING)
    lost = 25 * max(0, apologies - APOLOGIES_BEFORE_UNSURE) + sum(h.weight for h in grovelling)
    if not lost:
        return Judged(Component("self_assured", 100, ("no over-apologising",)))
    evidence = [f"apologised {apologies} times"] if apologies > APOLOGIES_BEFORE_UNSURE else []
    evidence += [quoted(hit, "sounds unsure") for hit in grovelling]
    return Judged(
        Component("self_assured", max(0, 100 - lost), tuple(evidence)),
        "Apologise once, then act: repeated apologies and promises sound unsure.",
        limit=LIMIT_UNSTEADY if lost >= GROVELLING_LOSS else LIMIT_WOBBLE,
    )


def _boundary(reply: Reply) -> Judged:
    """Abuse is met best with a calm limit and a way forward, never by hitting back or folding."""
    respectful = reply.find(_RESPECTFUL_BOUNDARY)
    redirects = reply.find(_REDIRECTS)
    threats = reply.find(_THREATENS)
    score = 50 + 50 * bool(respectful) + 30 * bool(redirects) - sum(h.weight for h in threats)
    score = max(0, min(100, score))
    evidence = [quoted(hit, "sets a calm boundary") for hit in respectful[:1]]
    evidence += [quoted(hit, "turns back to the problem") for hit in redirects[:1]]
    evidence += [quoted(hit, "threatens instead of setting a boundary") for hit in threats[:1]]
    if not evidence:
        evidence.append("the insults were neither stopped nor moved past")
    tip = None
    if score < 100:
        tip = (
            'Set a calm boundary and move on: "I want to sort this out, and I need us to keep '
            "it respectful. Let's look at your account now.\""
        )
    signals = frozenset({"boundary"} if respectful else set())
    limit = LIMIT_UNSTEADY if threats else None if respectful or redirects else LIMIT_WOBBLE + 5
    return Judged(Component("boundary", score, tuple(evidence)), tip, signals, limit)


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
    excess = max(0, len(found) - allowed)
    limit = (
        None
        if not excess
        else 80
        if excess == 1
        else 65
        if excess == 2
        else 50
        if excess < 5
        else 40
    )
    return Judged(Component("few_fillers", score, tuple(dict.fromkeys(evidence))), tip, limit=limit)


def _respectful_tone(reply: Reply) -> Judged:
    """Talking down, polite words with a cold message, brush-offs: the customer hears contempt."""
    found = [
        (hit, label)
        for phrases, label in (
            (_CONDESCENDING, "talks down to the customer"),
            (_PASSIVE_AGGRESSIVE, "passive-aggressive"),
            (_BRUSH_OFFS, "brushes them off"),
        )
        for hit in reply.find(phrases)
    ]
    if not found:
        return Judged(Component("respectful_tone", 100, ("no condescension or brush-offs",)))
    worst = max(found, key=lambda item: item[0].weight)[0]
    talks_down = any(label != "passive-aggressive" for _, label in found)
    return Judged(
        Component(
            "respectful_tone",
            max(0, 100 - sum(hit.weight for hit, _ in found)),
            tuple(quoted(hit, label) for hit, label in found),
        ),
        f'Take out "{worst.quote}": it talks down to the customer. Say it plainly and kindly.',
        frozenset({"dismissed"}),
        LIMIT_IRRITATED if talks_down else LIMIT_UNSTEADY,
    )


def _complete(reply: Reply) -> Judged:
    """A reply that stops mid-sentence leaves the customer hanging: not calm, unfinished."""
    if not reply.is_cut_off:
        return Judged(Component("complete", 100, ("finished what it started to say",)))
    tail = reply.quote(max(0, len(reply.text) - 1), len(reply.text))
    return Judged(
        Component("complete", 0, (f'"{tail}" - stops mid-sentence',)),
        "Finish the sentence: say the whole step, then stop.",
        frozenset({"cut_off"}),
        LIMIT_UNSTEADY,
    )


def _clear(reply: Reply) -> Judged:
    """A bare "no" shuts the customer out; a calm "no" comes with what can be done instead."""
    refusals = reply.find(_CURT_REFUSALS)
    if not refusals or reply.word_count > CURT_WORDS:
        return Judged(Component("clear", 100, ("says what it means in full",)))
    return Judged(
        Component("clear", 40, (quoted(refusals[0], "a curt refusal"),)),
        'Follow a no with a reason and what you can do: "I can\'t ..., but I can ..."',
        limit=LIMIT_CURT,
    )


def _outside(hits: list[Hit], inside: list[Hit]) -> list[Hit]:
    return [h for h in hits if not any(o.start <= h.start < o.end for o in inside)]


def _exact(reply: Reply, hit: Hit) -> str:
    return reply.text[hit.start : hit.end].strip(" ,")


def _exact_in(reply: Reply, word: str, hits: list[Hit]) -> bool:
    return any(_exact(reply, hit) == word for hit in hits)
