"""What the evaluator listens for in a reply, and the reading of a reply that lets it hear them.

The phrase lists are data: the techniques customer-service training teaches, and the habits it
warns against, written for lower-case text. Recognisers punctuate and capitalise as they please,
so in a phrase a space stands for any run of spaces or commas and an apostrophe is optional
("I'll", "ill" and "I will" all count). A number beside a phrase is its weight: the points a
warning costs, or a promise earns, in the component it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final

from app.core.evaluation.result import Component

W = r"[\w\x27]+"  # one word, apostrophes included (\x27 keeps it a literal apostrophe)
FEELINGS = (
    r"(?:worr(?:y|ied|ying|ies|isome)|frustrat(?:ing|ed|ion)|upset(?:ting)?|stress(?:ful|ed)?"
    r"|alarm(?:ing|ed)|scar(?:y|ed)|frighten(?:ing|ed)|annoy(?:ing|ed)|concern(?:ing|ed)"
    r"|anxious|unsettl(?:ing|ed)|shock(?:ing|ed)?|angry|distress(?:ing|ed)?|suspicious"
    r"|confus(?:ing|ed)|horrible|awful|nerve(?:-| )?wracking|unnerving|a worry|a shock)"
)
NOT_NEGATED = r"(?!(?:not|no|nothing|never)\b)"
SECRETS = (
    r"(?:pin(?: number| code)?|password|passcode|pass code|cvv|cvc|cv2|security code"
    r"|(?:three|3)(?:-| )digit (?:code|number)"
    r"|(?:full |long |whole |complete |(?:16|sixteen)(?:-| )digit )?card (?:number|details)"
    r"|long number|(?:one(?:-| )time |verification |security |sms |text )?code|otp"
    r"|log ?in details|login|online banking details|memorable (?:word|information)"
    r"|security (?:answer|questions?))"
)
CONCRETE_ACTIONS = (
    r"(?:block|freez|cancel|stop|refund|revers|send|post|call|ring|phone|e-?mail|text|rais"
    r"|open|report|investigat|escalat|transfer|flag|disput|credit|arrang|issu|order|replac"
    r"|lock|log|note|record|contact|chas|follow up|sort|fix|set up|switch|remov|reset|pay"
    r"|return|put (?:a |the )?(?:stop|block|hold|note))\w*"
)
VAGUE_ACTIONS = r"(?:check|look(?: into| at)?|find out|try|help|deal with)\w*"
OWNED_BY_ME = r"(?:i(?:'ll| will| shall|'m going to| am going to| can|'ve| have|'m| am)|let me)"
OWNED_BY_US = r"(?:we(?:'ll| will| shall|'re going to| are going to| can|'ve| have|'re| are))"
ACTION_ADVERBS = (
    r"(?: (?:now|right now|immediately|personally|also|then|just|straight away|go ahead and"
    r"|be|already))*?"
)
# "I'm calling from the bank" introduces the call; it promises nothing.
NOT_INTRODUCTION = r"(?!(?:\s+you)?\s+(?:from|about|on behalf|because|regarding)\b)"

ACKNOWLEDGES_FEELING: Final = (
    rf"i can (?:hear|see|imagine|tell|understand|appreciate)(?: {W}){{0,6}}? {FEELINGS}",
    r"i can (?:hear|see|imagine|tell|understand|appreciate) (?:how|why|that you|you)",
    r"i (?:completely |totally |really |fully )?understand (?:how|why) (?:you|this|that|it)",
    rf"(?:that|this|it|which)(?:'s| is| must be| must feel| must have been| sounds| would be"
    rf"| would feel| can be| feels)(?: {NOT_NEGATED}{W}){{0,2}} {FEELINGS}",
    rf"you(?:'re| are| must be| must feel| sound| seem| feel| might be| may be|'d be| would be"
    rf"| were|'ve been)(?: {NOT_NEGATED}{W}){{0,2}} {FEELINGS}",
    r"(?:no wonder|of course) you(?:'re| are| feel|'d| would| were)",
    rf"i(?:'d| would) (?:be|feel)(?: {W})? {FEELINGS}",
)
APOLOGIES: Final = (
    r"i(?:'m| am) (?:so |really |very |truly |terribly )?sorry",
    r"we(?:'re| are) (?:so |really |very |truly )?sorry",
    r"(?:my|our|sincere) apologies",
    r"i (?:do )?apologi[sz]e",
    r"sorry (?:about|for|to hear|that)",
)
GENERIC_UNDERSTANDING: Final = (
    r"i (?:completely |totally |fully )?understand",
    r"i hear you",
    r"i get (?:it|that)",
)
VALIDATES: Final = (
    r"you(?:'re| are) (?:absolutely |quite |completely |totally |so |perfectly )?right",
    r"(?:right|wise|smart|sensible|good) (?:of you )?to (?:be (?:careful|cautious|suspicious"
    r"|wary|sceptical|skeptical)|check|question|ask|call|ring)",
    r"(?:it|that|this)(?:'s| is| was) (?:completely |totally |perfectly |very |entirely |quite )?"
    r"(?:understandable|natural|normal|reasonable|sensible|fair|wise|smart|the right thing)",
    r"(?:it|that) makes (?:complete |perfect |total |a lot of )?sense",
    r"you did the right thing",
    r"(?:anyone|anybody|most people) would (?:be|feel|do|want|ask)",
    r"i(?:'d| would) (?:feel|think|do|ask) the same",
    r"(?:thank you|thanks) for (?:checking|being careful|asking|questioning|raising|flagging"
    r"|calling|telling|letting)",
    r"(?:good|great|fair) (?:question|point)",
    r"(?:glad|pleased|good) (?:that )?you (?:asked|checked|called|questioned|told|rang|spotted)",
    r"(?:being|to be) (?:careful|cautious) is (?:right|good|smart|wise|sensible)",
)
REFLECTS: Final = (
    r"so you(?:'re| are) (?:saying|telling|asking|worried|concerned)",
    r"you (?:said|mentioned|told me|explained)",
    r"if i(?:'ve| have)? understood",
    r"what i(?:'m| am) hearing",
    r"to make sure i(?:'ve| have) got",
    r"you(?:'re| are) (?:asking|wondering) (?:how|whether|if|why)",
    r"you(?:'re| are) (?:worried|concerned) (?:that|about)",
    r"you (?:didn't|did not|never) (?:make|recogni[sz]e|authori[sz]e|agree to)",
)
EXPLAINS: Final = (
    r"because",
    r"the reason (?:is|why|for)",
    r"what (?:happened|happens) (?:is|was|next)",
    r"that(?:'s| is) why",
    r"(?:which|this|that) means",
    r"so that",
    r"in order to",
    r"here(?:'s| is) what",
    r"let me explain",
    r"(?:the way|how) (?:it|this) works",
    r"what i can do is",
    r"it (?:was|has been|'s been) (?:flagged|declined|blocked|stopped|paused|held)",
    r"(?:it|this|that|the refund|a refund|the investigation) (?:will|should|can|usually) take",
    r"(?:our|the) (?:system|team|fraud team|security team) (?:flagged|spotted|noticed|detected"
    r"|stopped|blocked)",
)
# A limit stated with what can be done instead: transparent, and a clear boundary.
CANNOT_BUT_CAN: Final = (
    rf"(?:i|we) can(?:'t|not)(?: {W}){{1,8}}? but (?:i|we) can",
    rf"(?:i|we)(?:'m| am|'re| are) (?:not able|unable) to(?: {W}){{1,8}}? but",
)
# Points for a promised action: doing something concrete yourself counts most.
NEXT_STEPS: Final = (
    (rf"{OWNED_BY_ME}{ACTION_ADVERBS} {CONCRETE_ACTIONS}{NOT_INTRODUCTION}", 70),
    (rf"{OWNED_BY_US}{ACTION_ADVERBS} {CONCRETE_ACTIONS}{NOT_INTRODUCTION}", 60),
    (rf"{OWNED_BY_ME}{ACTION_ADVERBS} {VAGUE_ACTIONS}{NOT_INTRODUCTION}", 40),
    (rf"{OWNED_BY_US}{ACTION_ADVERBS} {VAGUE_ACTIONS}{NOT_INTRODUCTION}", 30),
)
TIMEFRAMES: Final = (
    r"right now|right away|straight away|immediately|now|today|tonight|tomorrow",
    r"this (?:morning|afternoon|evening|week)",
    r"(?:within|in) (?:the next )?(?:\d+|a|an|one|two|three|four|five|ten|fifteen|twenty|thirty"
    r"|few|couple of) (?:\w+ )?(?:minutes?|hours?|days?|working days|business days)",
    r"by (?:\d{1,2}(?:[:.]\d{2})?(?: ?[ap]\.?m\.?| o'clock)?|one|two|three|four|five|six|seven"
    r"|eight|nine|ten|eleven|twelve|noon|midday|lunchtime|(?:the )?end of (?:the )?day"
    r"|close of business|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow"
    r"|tonight)",
    r"before (?:you hang up|we finish|the end of (?:this|the) call)",
    r"while you(?:'re| are) (?:still )?on the (?:line|phone)",
    r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    r"at \d{1,2}(?:[:.]\d{2})?(?: ?[ap]\.?m\.?)?",
)
ASKS_FOR_SECRET: Final = (
    rf"(?:give|tell|read|confirm|provide|send (?:me|us|over)|type|enter|say|share|need|want"
    rf"|ask(?:ing)?"
    rf"(?: you)? for|what(?:'s| is| was)|(?:can|could|may) i (?:have|get|take)"
    rf"|let me (?:have|get|take)|verify|quote|go through)"
    rf"(?: (?!(?:last|final|first)\b){W}){{0,4}}? (?:your |the |that |my )?{SECRETS}",
    rf"(?:your|the) {SECRETS} please",
)
NEGATION: Final = re.compile(
    r"\b(?:never|not|no one|nobody|no need|without|don'?t|won'?t|doesn'?t|didn'?t|shouldn'?t"
    r"|wouldn'?t|can'?t|cannot|mustn'?t)\b"
)
SAFE_VERIFICATION: Final = (
    r"number on the back of (?:your|the) card",
    r"(?:hang up|put the phone down|end (?:the|this) call) and (?:call|ring|phone)",
    r"(?:call|ring|phone) (?:us |the bank )?back (?:on|using|via)",
    r"(?:call|ring|phone|contact) (?:us|the bank) (?:yourself|directly)",
    r"(?:our|the) official (?:website|app|number|phone number)",
    r"(?:in|on|through|using) (?:your|the) (?:mobile banking |banking |bank's )?app",
    r"(?:log|sign) (?:in|into|on) (?:to )?your (?:online banking|banking app|app|account)",
    r"(?:verify|check|confirm) (?:that )?(?:it's|this is|i am|i'm) (?:really |genuinely )?"
    r"(?:us|me|the bank|genuine)",
    r"you (?:don't|do not) (?:have|need) to (?:give|tell|share|confirm) (?:me )?(?:any|anything)",
)
DISMISSES: Final = (
    (r"calm down", 60),
    (r"relax", 40),
    (r"(?:don't|do not) worry about it", 50),
    (r"(?:don't|do not) (?:worry|panic)", 25),
    (r"no need to (?:worry|panic|get upset|be upset|get worked up|stress)", 40),
    (r"nothing to worry about", 40),
    (
        r"(?:it's|it is|that's|that is) (?:just |simply |only )?(?:the |our |company |bank )?"
        r"(?:policy|procedure|the rules)",
        60,
    ),
    (r"nothing (?:i|we) can do", 60),
    (r"you(?:'re| are) (?:over ?reacting|being (?:paranoid|silly|dramatic|ridiculous))", 70),
    (r"(?:it's|it is|that's) (?:not|no) (?:a )?big deal", 50),
    (r"(?:it's|it is) only (?:£|\$|€)?\d+", 50),
    (r"(?:it|these things|this) happens? all the time", 40),
    (r"that's (?:just )?(?:how|the way) it (?:is|works|goes)", 50),
    (r"just trust me", 50),
    (r"you(?:'ll| will) (?:just )?have to wait", 40),
    (r"not my problem", 70),
    (r"(?:take|raise) it up with", 40),
    (r"deal with it", 70),
    (r"get over it", 80),
    (r"stop (?:worrying|panicking|complaining|shouting|going on)", 50),
    (r"i can(?:'t|not) help you", 50),
)
BLAMES: Final = (
    (r"you should(?:n't| not)? have", 60),
    (r"your (?:own )?fault", 70),
    (
        r"you (?:must|probably|obviously|clearly) (?:have )?(?:gave|given|shared|clicked|told"
        r"|entered|lost|left)",
        60,
    ),
    (r"you need to be more careful", 60),
    (r"(?:that's|that is) on you", 70),
    (r"you (?:did|caused) this", 70),
    (r"why (?:did|would) you", 40),
    (r"you (?:didn't|did not|never) (?:read|check|listen|pay attention)", 50),
)
DEFENSIVE: Final = (
    (r"not (?:my|our) fault", 60),
    (r"i(?:'m| am) (?:just|only) doing my job", 60),
    (r"(?:don't|do not) blame me", 60),
    (r"(?:it|that) (?:wasn't|was not|isn't|is not) me", 50),
    (r"(?:not|isn't) my (?:department|problem|responsibility|decision)", 50),
    (r"i didn't (?:do|make|write|set) (?:it|this|that|anything|the rules)", 50),
    (r"i (?:don't|do not) make the rules", 60),
    (r"(?:i've|i have) already (?:told|explained|said)", 40),
    (r"(?:as|like) i (?:already )?(?:said|told you|explained)", 40),
    (r"don't shoot the messenger", 50),
    (r"(?:i'm|i am) not (?:the one|responsible)", 50),
    (r"(?:it|that)(?:'s| is) not (?:up to|down to) me", 40),
    (r"how (?:was|am) i supposed to know", 60),
)
HOSTILE: Final = (
    (r"shut up", 100),
    (r"(?:stupid|idiot|idiotic|moron|dumb|pathetic|ridiculous|useless|clueless|incompetent)", 70),
    (r"are you (?:deaf|stupid|listening|serious)", 70),
    (r"listen to me", 40),
    (r"i (?:don't|do not) care", 70),
    (r"get lost", 90),
    (r"(?:damn|dammit|bloody|hell|crap|shit\w*|fuck\w*|bollocks|piss\w*)", 80),
    (r"for (?:god's|goodness|heaven's) sake", 50),
    (r"what(?:'s| is) wrong with you", 80),
    (r"(?:i've|i have) had enough", 50),
    (r"how many times", 50),
)
SARCASTIC: Final = (
    (r"oh (?:great|wonderful|brilliant|perfect|fantastic|lovely|really)", 50),
    (r"yeah right", 60),
    (r"(?:i'm |i am )?sure you (?:did|didn't|do|don't|never)", 60),
    (r"whatever you say", 60),
    (r"whatever(?=\s*(?:[.!?]|$))", 40),
    (r"thanks for nothing", 70),
    (r"good for you", 50),
    (r"(?:big|what a) surprise", 50),
    (r"(?:wow|gee) (?:thanks|really|okay|ok)", 50),
    (r"if you say so", 50),
)
PRESSURES: Final = (
    (r"(?:right now|immediately|quickly|now) or (?:else|you|your|the)", 60),
    (r"hurry(?: up)?", 50),
    (r"(?:don't|do not) hang up", 50),
    (r"before it(?:'s| is) too late", 60),
    (
        r"(?:your|the) (?:account|card) will be (?:closed|frozen|suspended|blocked|cancell?ed)"
        r"(?: \w+){0,3} (?:unless|if you don't|if you do not)",
        60,
    ),
    (
        r"you (?:have|need|must) (?:to )?(?:act|decide|do it|confirm|give|tell)(?: [\w\x27]+){0,3} "
        r"(?:now|right now|immediately|quickly)",
        50,
    ),
    (r"(?:there's|there is|we have) no time", 50),
    (r"(?:quick|quickly) (?:give|tell|read|confirm)", 50),
)
FILLERS: Final = (
    r"um+",
    r"uh+",
    r"erm+",
    r"er",
    r"ah+",
    r"hmm+",
    r"mm+",
    r"you know",
    r"i mean",
    r"basically",
    r"literally",
    r"like(?=\s*,)",
    r"(?<=,)\s*like",
)
HEDGES: Final = (
    r"i think",
    r"maybe",
    r"probably",
    r"hopefully",
    r"i guess",
    r"i suppose",
    r"perhaps",
    r"(?:i'm|i am) not (?:sure|certain)",
    r"actually",
    r"to be honest",
    r"honestly",
    r"kind of",
    r"sort of",
    r"i'd say",
    r"if that makes sense",
    r"or something",
)


def _words(text: str) -> tuple[str, ...]:
    """A word list written as one string, which keeps long lists readable."""
    return tuple(text.split())


# Capitals that are names, not shouting.
ACRONYMS: Final = frozenset(
    _words(
        "I A PIN CVV CVC CV2 OTP ID UK US USA EU OK SMS ATM AM PM IBAN BIC FAQ IT TV GP NHS"
        " HMRC VAT PDF URL ASAP SIM IP VPN TSB HSBC RBS BBC ISA PAYE DVLA"
    )
)
# Words that say nothing about what this customer is worried about.
STOPWORDS: Final = frozenset(
    _words(
        """a about above after again all also am an and any are as at be been being before both
        but by can could did do does doing don't down during each few for from further had has
        have having he her here hers him his how i i'd i'll i'm i've if in into is isn't it it's
        its just me more most my no nor not now of off on once only or other our ours out over
        own same she should so some such than that that's the their them then there these they
        this those through to too under until up very was we we'll we're were what when where
        which while who whom why will with would you you'd you'll you're you've your yours yes
        yeah ok okay well oh hello hi please thank thanks sorry sure know think get got make
        made say said go going want need let really like right see look come tell told never
        ever still even one thing way let's can't won't didn't doesn't isn't wasn't aren't call
        calling called"""
    )
)
NUMBER_WORDS: Final = {
    word: value
    for value, word in enumerate(
        _words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen"
            " fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
} | {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES: Final = {"hundred": 100, "thousand": 1000}


Phrases = tuple[tuple[re.Pattern[str], int], ...]


def compile_phrases(entries: Iterable[str | tuple[str, int]]) -> Phrases:
    """Compiles phrase entries (a pattern, or a pattern with its weight) to whole-word patterns."""
    compiled = []
    for entry in entries:
        pattern, weight = (entry, 0) if isinstance(entry, str) else entry
        body = pattern.replace("'", "'?").replace(" ", r"[\s,]+")
        compiled.append((re.compile(rf"(?<![\w'])(?:{body})(?!\w)"), weight))
    return tuple(compiled)


CLAUSE_END = re.compile(r"[!?;\n\u2013\u2014\"]|[.,:](?!\d)")  # dashes end clauses too
SENTENCE_END = re.compile(r"[!?\n]|\.(?!\d)")
TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+(?:'[a-z]+)*")
MAX_QUOTE_WORDS = 12
WORDS_BEFORE, WORDS_AFTER = 1, 4  # context kept around a phrase in a long clause


@dataclass(frozen=True)
class Token:
    """One word of a reply: normalised text (number words as digits), its stem and its place."""

    text: str
    stem: str
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    """A phrase found in a reply: where it is, its weight and the reply's own words around it."""

    start: int
    end: int
    weight: int
    quote: str


@dataclass(frozen=True)
class Judged:
    """One component's verdict, with the tip that would raise it and the signals it raised."""

    component: Component
    tip: str | None = None
    signals: frozenset[str] = frozenset()


def fold(text: str) -> str:
    """Lower-cases and straightens quotes without changing any position in the text, so a
    phrase found in the folded text can be quoted from the original."""
    curly = "\u2018\u2019\u0060\u00b4\u201c\u201d\u00a0"
    straightened = text.translate(str.maketrans(curly, "''''\"\" "))
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in straightened)


def stem(word: str) -> str:
    """A light stem, so "blocked", "blocking" and "blocks" all read as "block"."""
    if word.isdigit():
        return word
    stemmed = word.removesuffix("'s").replace("'", "")
    for suffix, replacement in (
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if stemmed.endswith(suffix) and len(stemmed) - len(suffix) >= 3:
            stemmed = stemmed[: -len(suffix)] + replacement
            break
    if len(stemmed) > 4 and stemmed.endswith("e"):
        stemmed = stemmed[:-1]
    if len(stemmed) >= 4 and stemmed[-1] == stemmed[-2]:
        stemmed = stemmed[:-1]
    return stemmed


def same_word(first: str, second: str) -> bool:
    """True for equal stems, or long stems a spelling apart ("canceled" and "cancelled")."""
    if first == second:
        return True
    if min(len(first), len(second)) < 5 or abs(len(first) - len(second)) > 2:
        return False
    return first[0] == second[0] and SequenceMatcher(None, first, second).ratio() >= 0.85


def _number_value(words: list[str]) -> int:
    total, current = 0, 0
    for word in words:
        if word in SCALES:
            if SCALES[word] == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * SCALES[word]
                current = 0
        else:
            current += NUMBER_WORDS[word]
    return total + current


def tokenise(folded: str) -> tuple[Token, ...]:
    """The words of folded text, with spelled-out numbers turned into digits as Whisper writes
    them ("two hundred and forty-nine" reads as "249")."""
    raw = [(m.group(), m.start(), m.end()) for m in TOKEN.finditer(folded)]
    tokens: list[Token] = []
    index = 0
    while index < len(raw):
        text, start, end = raw[index]
        if text in NUMBER_WORDS or text in SCALES:
            words = [text]
            index += 1
            while index < len(raw):
                following = raw[index][0]
                is_joined_and = (
                    following == "and"
                    and index + 1 < len(raw)
                    and (raw[index + 1][0] in NUMBER_WORDS or raw[index + 1][0] in SCALES)
                )
                if following in NUMBER_WORDS or following in SCALES or is_joined_and:
                    if not is_joined_and:
                        words.append(following)
                    end = raw[index][2]
                    index += 1
                else:
                    break
            digits = str(_number_value(words))
            tokens.append(Token(digits, digits, start, end))
            continue
        if text[0].isdigit():
            text = text.replace(",", "").removesuffix(".00").removesuffix(".0")
        tokens.append(Token(text, stem(text), start, end))
        index += 1
    return tuple(tokens)


class Reply:
    """A reply read for evaluation: the trainee's own words, and a folded copy to match phrases.

    Every position refers to both texts, so evidence is always quoted from the reply as said.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.folded = fold(text)
        self.tokens = tokenise(self.folded)

    @property
    def word_count(self) -> int:
        return len(self.tokens)

    def find(self, phrases: Phrases) -> list[Hit]:
        """Every place one of the phrases occurs, in order, overlaps resolved to the earliest."""
        spans = sorted(
            (match.start(), -match.end(), weight)
            for pattern, weight in phrases
            for match in pattern.finditer(self.folded)
            if match.end() > match.start()
        )
        hits: list[Hit] = []
        for start, negative_end, weight in spans:
            if hits and start < hits[-1].end:
                continue
            hits.append(Hit(start, -negative_end, weight, self.quote(start, -negative_end)))
        return hits

    def quote(self, start: int, end: int) -> str:
        """The reply's own words around a span: its clause, cut to a short quote if long."""
        clause_start = max((m.end() for m in CLAUSE_END.finditer(self.text, 0, start)), default=0)
        next_end = CLAUSE_END.search(self.text, end)
        clause_end = next_end.start() if next_end else len(self.text)
        words = [m.span() for m in re.finditer(r"\S+", self.text[clause_start:clause_end])]
        if not words:
            return self.text[start:end].strip()
        inside = [
            i
            for i, (s, e) in enumerate(words)
            if clause_start + e > start and clause_start + s < end
        ] or [0]
        first, last = inside[0], inside[-1]
        if len(words) <= MAX_QUOTE_WORDS:
            first, last = 0, len(words) - 1
        elif last - first + 1 < MAX_QUOTE_WORDS:
            # Without punctuation to go by, a phrase's sense usually runs on to its right.
            first = max(0, first - WORDS_BEFORE)
            last = min(len(words) - 1, last + WORDS_AFTER, first + MAX_QUOTE_WORDS - 1)
        quoted = self.text[clause_start + words[first][0] : clause_start + words[last][1]]
        return quoted.strip(" \t\n,;:.!?'\"")

    def sentence_bounds(self, position: int) -> tuple[int, int]:
        starts = [m.end() for m in SENTENCE_END.finditer(self.folded, 0, position)]
        following = SENTENCE_END.search(self.folded, position)
        return (starts[-1] if starts else 0, following.start() if following else len(self.folded))

    def is_negated(self, position: int) -> bool:
        """True when the words just before a position in its sentence deny it ("we will never
        ask for your PIN")."""
        sentence_start, _ = self.sentence_bounds(position)
        return bool(NEGATION.search(self.folded, max(sentence_start, position - 60), position))


def quoted(hit: Hit, label: str) -> str:
    """Evidence in the one shape every view shows: the reply's words in quotes, then why."""
    return f'"{hit.quote}" - {label}'
