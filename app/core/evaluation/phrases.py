"""What the evaluator listens for in a reply, and the reading of a reply that lets it hear them.

The phrase lists are data: the techniques customer-service training teaches, and the habits it
warns against, written for lower-case text. Recognisers punctuate and capitalise as they please,
so in a phrase a space stands for any run of spaces or commas and an apostrophe is optional
("I'll", "ill" and "I will" all count). A number beside a phrase is its weight: the points a
warning costs, or a promise earns, in the component it belongs to.
"""

from __future__ import annotations

from typing import Final

from app.core.evaluation.phrase_parts import (
    ACTION_ADVERBS as ACTION_ADVERBS,
)
from app.core.evaluation.phrase_parts import (
    CONCRETE_ACTIONS as CONCRETE_ACTIONS,
)
from app.core.evaluation.phrase_parts import (
    FEELINGS as FEELINGS,
)
from app.core.evaluation.phrase_parts import (
    NOT_INTRODUCTION as NOT_INTRODUCTION,
)
from app.core.evaluation.phrase_parts import (
    NOT_NEGATED as NOT_NEGATED,
)
from app.core.evaluation.phrase_parts import (
    OWNED_BY_ME as OWNED_BY_ME,
)
from app.core.evaluation.phrase_parts import (
    OWNED_BY_US as OWNED_BY_US,
)
from app.core.evaluation.phrase_parts import (
    SECRETS as SECRETS,
)
from app.core.evaluation.phrase_parts import (
    VAGUE_ACTIONS as VAGUE_ACTIONS,
)
from app.core.evaluation.phrase_parts import (
    W as W,
)
from app.core.evaluation.turn_phrases import (
    CHECKS_UNDERSTANDING as CHECKS_UNDERSTANDING,
)
from app.core.evaluation.turn_phrases import (
    CUSTOMER_ABUSE as CUSTOMER_ABUSE,
)
from app.core.evaluation.turn_phrases import (
    CUSTOMER_FEELING as CUSTOMER_FEELING,
)
from app.core.evaluation.turn_phrases import (
    EVASIONS as EVASIONS,
)
from app.core.evaluation.turn_phrases import (
    GROVELLING as GROVELLING,
)
from app.core.evaluation.turn_phrases import (
    IMPATIENT as IMPATIENT,
)
from app.core.evaluation.turn_phrases import (
    PLAIN_ANSWER_START as PLAIN_ANSWER_START,
)
from app.core.evaluation.turn_phrases import (
    REDIRECTS as REDIRECTS,
)
from app.core.evaluation.turn_phrases import (
    RESPECTFUL_BOUNDARY as RESPECTFUL_BOUNDARY,
)
from app.core.evaluation.turn_phrases import (
    SPECIFICS as SPECIFICS,
)
from app.core.evaluation.turn_phrases import (
    THREATENS as THREATENS,
)
from app.core.evaluation.turn_phrases import (
    YES_NO_QUESTION as YES_NO_QUESTION,
)

ACKNOWLEDGES_FEELING: Final = (
    rf"i can (?:hear|see|imagine|tell|understand|appreciate)(?: {W}){{0,6}}? {FEELINGS}",
    r"i can (?:hear|see|imagine|tell|understand|appreciate) (?:how|why|that you|you)",
    r"i (?:completely |totally |really |fully )?understand (?:how|why) (?:you|this|that|it)",
    rf"(?:that|this|it|which)(?:'s| is| must be| must feel| must have been| sounds| would be"
    rf"| would feel| can be| feels)(?: {NOT_NEGATED}{W}){{0,2}} {FEELINGS}",
    rf"you(?:'re| are| must be| must feel| sound| seem| feel| might be| may be|'d be| would be"
    rf"| were|'ve been)(?: {NOT_NEGATED}{W}){{0,3}} {FEELINGS}",
    r"(?:no wonder|of course) you(?:'re| are| feel|'d| would| were)",
    rf"i (?:\w+ )?(?:understand|know|realise|realize|appreciate)(?: {W}){{0,4}}? {FEELINGS}",
    r"(?:can|must|might|may|would|could) (?:feel|seem|look|sound) (?:like|as if)",
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
    r"you(?: were|'ve been| have been) (?:\w+ )?(?:told|promised|charged|kept|transferred"
    r"|waiting|asked|given|sent|left)",
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
    r"(?:we|the bank|i) (?:will |would )?never (?:ask|call|send|text|request|need)",
    r"(?:we|i) (?:only|just) (?:ask|need|use|call|send)",
    r"i can see (?:that |the |it |your |why )",
    r"(?:it|this|that|the \w+) (?:was|is|has been|got) (?:locked|blocked|refused|flagged|declined"
    r"|stopped|approved|sent|stuck|held) (?:because|after|for|by|but|and)",
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
    # The second half of a promise: "I'll ask the team and call you back by noon".
    (r"(?:and|then) (?:i'll |i will )?(?:call|ring|phone|e-?mail|text|write to) you", 60),
    # Safe options the customer can take themselves.
    (
        r"(?:you can|you could|you're welcome to|feel free to|please|if you(?:'d| would)"
        r" (?:like|prefer|rather|feel \w+),?(?: you can)?)(?: \w+){0,2}? (?:hang up|call|ring"
        r"|check|log in|use|confirm|visit|forward|compare|quote)",
        60,
    ),
    (r"hang up(?:,| and| then)+ (?:call|ring)", 60),
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
SAFE_VERIFICATION: Final = (
    r"number on the back of (?:your|the) card",
    r"(?:hang up|put the phone down|end (?:the|this) call)(?: and| then)? (?:call|ring|phone)",
    r"(?:call|ring|phone) the number (?:on|printed on) (?:the back of )?(?:your|the) "
    r"(?:\w+ )?card",
    r"(?:not going to|won't|will not|never) ask (?:you )?for (?:any|your)",
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
    (r"(?:it's|it is) only (?:£|\$|€)?(?:\d+|\w+(?: \w+)? (?:pounds|quid|dollars|euros))", 50),
    (r"these things take time|prices go up|it happens", 40),
    (r"(?:i'm|i am) hanging up", 70),
    (r"(?:you'll|you will) (?:need|have) to (?:ring|call|contact|speak to)", 40),
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
        r"|entered|lost|left|ignored|missed|forgot|forgotten|typed|deleted|misread)",
        60,
    ),
    (r"you need to be more careful", 60),
    (r"(?:that's|that is) on you", 70),
    (r"you (?:did|caused) this", 70),
    (r"why (?:did|would) you", 60),
    (r"you (?:didn't|did not|never) (?:read|check|listen|pay attention)", 50),
)
DEFENSIVE: Final = (
    (r"not (?:my|our) fault", 60),
    (r"(?:i|we) (?:wasn't|weren't|was not|were not) the ones?", 50),
    (r"i(?:'m| am) (?:just|only) doing my job", 60),
    (r"(?:don't|do not) blame me", 60),
    (r"(?:it|that) (?:wasn't|was not|isn't|is not) me", 50),
    (r"(?:not|isn't) my (?:department|problem|responsibility|decision)", 50),
    (r"i didn't (?:do|make|write|set) (?:it|this|that|anything|the rules)", 50),
    (r"i (?:don't|do not) make the rules", 60),
    (r"don't shoot the messenger", 50),
    (r"(?:i'm|i am) not (?:the one|responsible)", 50),
    (r"(?:it|that)(?:'s| is) not (?:up to|down to) me", 40),
    (r"how (?:was|am) i supposed to know", 60),
    (r"(?:rule|decision|policy|call|fault|choice|idea),? not mine", 60),
    (
        r"(?:head office|management|the system|my manager|the company|upstairs|the computer)"
        r"(?:'s)? (?:rule|decision|policy|fault|call|problem|doing)",
        50,
    ),
    (r"(?:i|we) (?:just|only) (?:work here|answer the phones?|follow the rules)", 60),
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
)
SARCASTIC: Final = (
    (r"oh (?:great|wonderful|brilliant|perfect|fantastic|lovely|really)", 70),
    (r"oh,? so now", 70),
    (r"(?:don't|do not) you trust me", 60),
    (r"yeah right", 60),
    (r"(?:i'm |i am )?sure you (?:did|didn't|do|don't|never)", 60),
    (r"whatever you say", 60),
    (r"whatever(?=\s*(?:[.!?]|$))", 60),
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
        calling called there's here's what's who's where's how's it'll take long exactly
        actually"""
    )
)
