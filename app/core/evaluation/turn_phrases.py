"""Phrases that say what a turn calls for, and whether the reply gave it: the customer's
feelings and abuse, plain questions and plain answers, evasions, checks of understanding,
grovelling, impatience, boundaries and specifics. Written as in phrases.py."""

from __future__ import annotations

from typing import Final

from app.core.evaluation.phrase_parts import FEELINGS, W

# In the customer's line: feeling, suspicion or a complaint, which make the turn one that calls
# for empathy. A line with none of them is a plain question, answered best by a plain answer.
CUSTOMER_FEELING: Final = (
    FEELINGS,
    r"scam\w*|con|rip(?:ped|ping)? (?:me |people |us )?off|stolen|steal\w*|taken my|lost"
    r"|fraud\w*|hidden|trick\w*|(?:just )?trying to (?:sell|get|trick|con)|sell me|hang on",
    r"never (?:made|asked|agreed|authori[sz]ed|had|got|received|bought)|nobody|no one|still"
    r"|promised|third time|every time|always|weeks|hours|waiting|on hold|transferred",
    r"how (?:do|can|would) i know|why should i|trust|believe|prove|really (?:the|from)"
    r"|not giving|not telling|not answering|answer me|fobbed off|a joke|unacceptable",
    r"can(?:'t|not) (?:pay|get|log|use|afford)|locked|blocked|charged|gone up|doesn't cover"
    r"|refused|denied|broke|broken|clicked",
    r"fed up|sick of|had enough|furious|livid|disgust\w*|ridiculous|useless|rubbish|stupid"
    r"|idiot\w*|bloody|damn|hell|waste of",
)
# Insults and swearing aimed at the trainee: the turn calls for a calm, respectful boundary.
CUSTOMER_ABUSE: Final = (
    r"(?:you(?:'re| are)|are you) (?:\w+ )?(?:stupid|an idiot|useless|a waste|thick|clueless"
    r"|incompetent|pathetic|a joke|deaf)",
    r"idiot|moron|useless lot|waste of space|shut up|bloody|damn|bollocks|shit\w*|fuck\w*"
    r"|piss\w*|crap",
)
YES_NO_QUESTION = (
    r"(?:do|does|did|is|are|was|were|can|could|will|would|have|has|should|may)(?: \w+)? "
)
# A yes or no at the start of the reply answers a yes-no question.
PLAIN_ANSWER_START: Final = (r"yes|no|never|of course|not at all|absolutely|always",)
# Words that dodge a question instead of answering it.
EVASIONS: Final = (
    (r"i (?:don't|do not) know|dunno|no idea|not sure|it depends|a while|ages(?: ago)?", 40),
    (r"(?:i|we) (?:don't|do not) have (?:one|that|it)", 30),
    (
        r"check your (?:e-?mails?|letters?|post|statement|account)"
        r"|read the (?:booklet|terms|letter)",
        40,
    ),
)
CHECKS_UNDERSTANDING: Final = (
    r"does (?:that|this) (?:help|make sense|work|sound|answer)",
    r"(?:any|other) questions",
    r"is (?:that|this) (?:alright|all right|ok|okay|clear|what you)",
    r"if (?:that's|that is) (?:alright|all right|ok|okay)",
    r"would you (?:like|prefer|rather)",
    r"(?:shall|should) i",
    r"how does that sound",
    r"let me know (?:if|what|whether)",
    r"tell me (?:if|what|whether|and)",
    r"(?:could|can|would) you (?:tell|let) me",
    r"what would you like",
    r"which (?:\w+ )?would you",
    r"(?:does|do) that (?:work|suit) for you",
    r"what (?:was|is) the (?:problem|issue)",
    r"what (?:did|do|would) you (?:want|like|need) to (?:ask|know|talk|discuss|do)",
    r"what can i (?:help|do)",
    r"(?:did|have) i (?:understand|get that|got that)",
)
# Apologies that abase instead of acting; they read as panic.
GROVELLING: Final = (
    (r"(?:i'm|i am) (?:so )?(?:useless|hopeless|stupid|an idiot|terrible)", 60),
    (r"we(?:'re| are) (?:so )?(?:useless|hopeless|terrible|awful|rubbish)", 50),
    (r"(?:i|we) (?:really )?(?:don't|do not) know (?:what|why|how)", 30),
    (r"(?:i|we) promise", 20),
    (r"please (?:don't|do not) (?:be angry|shout|complain|hang up)", 40),
)
# Irritation with the customer: the trainee's patience is running out.
IMPATIENT: Final = (
    (r"(?:i've|i have) (?:already )?(?:told|explained|said)(?: you| this| that)?", 50),
    (r"(?:as|like) i (?:already )?(?:said|told you|explained)", 50),
    (r"how many times", 60),
    (r"(?:i|we) (?:already|just) (?:told|said|explained)", 50),
    (r"calm down", 60),
    (r"stop (?:complaining|shouting|going on|moaning)", 60),
    (
        r"why (?:are|would) you (?:being )?(?:so )?"
        r"(?:difficult|awkward|rude|paranoid|suspicious)",
        70,
    ),
    (r"are you always", 60),
    (r"(?:^|(?<=[.!?]))\s*(?:your choice|suit yourself)|take it or leave it|up to you then", 40),
    (r"you(?:'re| are) being (?:paranoid|silly|dramatic|ridiculous|unreasonable|difficult)", 60),
    (r"(?:fine|whatever),? (?:don't|do not) believe me|hang up then", 60),
    (r"(?:everyone|everybody) (?:else )?(?:knows|does|gives|says)", 50),
    (r"every customer says", 60),
    (r"(?:it's|it is|that's) obvious|obviously", 40),
    (r"oh please|come on", 50),
    (r"(?:right )?back at you|same to you|takes one to know one", 100),
    (r"now you(?:'re| are) being", 60),
    (r"(?:i'm|i am) not your (?:punching bag|servant|slave)", 60),
    (
        r"(?:i'm|i am) hanging up"
        r"|(?:i'll|i will) (?:just )?(?:hang up|end the call|close the call)",
        60,
    ),
)
# A calm limit on abuse, said without hitting back.
RESPECTFUL_BOUNDARY: Final = (
    r"keep (?:it|this|things|the (?:call|conversation|language)) (?:respectful|civil|polite"
    r"|calm|down)",
    r"(?:need|ask|like) (?:you|us|that we) (?:to )?(?:stop|keep|speak)",
    r"(?:stop|without) the (?:insults|swearing|language|name-calling|shouting)",
    r"(?:i|we) won't be spoken to",
    r"(?:i'm|i am) not going to argue",
    r"if we (?:keep|can keep) (?:it|this) (?:civil|respectful|calm|polite)",
    r"(?:don't|do not) have to like me",
)
# Turning back to the problem after abuse.
REDIRECTS: Final = (
    r"let's (?:focus|get (?:this|it|your \w+) (?:sorted|fixed)|sort|look|go back|stick)",
    r"(?:i|we) (?:want|would like|'d like) to (?:help|fix|sort|get)",
    r"(?:i'm|i am) (?:happy|here) to help",
)
THREATENS: Final = (
    (r"(?:i'll|i will|i'm going to) (?:hang up|end (?:the|this) call|put the phone down)", 60),
    (r"understood\?|got it\?|is that clear\?", 40),
)
# Facts a plain answer gives: amounts, durations, dates, reference numbers, where to look.
SPECIFICS: Final = (
    r"(?:£|\$|€)\s?\d[\d.,]*|\d+(?:[.,]\d+)?(?: ?%| pounds| quid| pence| p\b)?",
    rf"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty"
    rf"|few|couple of|\d+)(?:-| )(?:{W} )?(?:minutes?|hours?|days?|weeks?|months?|years?"
    rf"|working days)",
    r"(?:twelve|fifteen|twenty|thirty|forty|fifty|hundred|\w+ty|one|two|three|four|five|six"
    r"|seven|eight|nine|ten|eleven) pounds",
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|tonight"
    r"|january|february|march|april|may|june|july|august|september|october|november|december",
    r"(?:in|on|through) (?:the|our|your) (?:app|website|letter|email|statement)"
    r"|by (?:letter|email|text)",
    r"(?:the )?number on the back|last four digits|date of birth|postcode|reference",
)
