"""Phrases for the tone of a reply: condescension, passive aggression, brush-offs, curt
refusals, plain sympathy, exploring questions and the stock formulas that fit any call.

Written like `phrases.py`: lower-case patterns, a space for any run of spaces or commas, an
optional apostrophe, and a weight where a phrase costs points.
"""

from __future__ import annotations

from typing import Final

W = r"[\w\x27]+"

# Talking down to the customer: a trainer hears irritation, whatever the politeness around it.
CONDESCENDING: Final = (
    (r"as i(?:'m| am) sure you(?:'re| are)? (?:know|aware|understand|realise|realize)", 80),
    (r"as (?:you|anyone|everyone) (?:should|would|must|ought to) know", 80),
    (r"you(?:'re| are) (?:over ?reacting|being (?:paranoid|silly|dramatic|hysterical))", 90),
    (r"(?:a bit|slightly|rather|quite) (?:paranoid|dramatic|hysterical|over the top)", 80),
    (
        r"(?:over|about) (?:a few|a couple of|just a few|a handful of) (?:pounds|quid|dollars"
        r"|euros)",
        70,
    ),
    (r"(?:it's|it is|this is|that's) not (?:rocket science|complicated|hard|difficult)", 80),
    (
        r"(?:it's|it is|that's) (?:really |very |pretty )?(?:simple|easy"
        r"|straightforward)(?: really)?",
        40,
    ),
    (r"let me (?:explain|say) (?:this|it|that) (?:slowly|again|more simply|one more time)", 80),
    (r"(?:you|you'll) (?:need|have) to understand", 60),
    (
        r"(?:if|when) you(?:'d| had)? (?:just |actually )?(?:read|listened|paid attention|checked)",
        70,
    ),
    (r"(?:you|we) all (?:know|agree)", 50),
    (r"(?:clearly|obviously) you", 70),
    (
        r"(?:most|other|normal|sensible) (?:people|customers) (?:would|know|manage|understand"
        r"|don't)",
        70,
    ),
    (
        r"(?:it's|it is) (?:all )?(?:in|on) (?:the|your) (?:terms|contract|letter"
        r"|website)(?: \w+){0,3}",
        40,
    ),
    (r"(?:honestly|seriously|frankly),? (?:it's|you|this|that)", 40),
    (r"(?:don't|do not) (?:get|be) (?:so )?(?:worked up|upset|emotional|excited|hysterical)", 80),
    (r"there's no need to (?:be|get) (?:like that|rude|upset|emotional)", 70),
    (r"(?:sweetheart|love|dear|darling|mate|pal)(?=\s*[,.!?])", 40),
    (r"(?:just )?(?:as a tip|for next time|for the future|so you know for next time)", 70),
    (r"(?:maybe|perhaps|try to|you might want to) \w+(?: \w+){0,4} next time", 70),
    (r"(?:you're|you are) (?:one of|not the only one)(?: \w+){0,2}", 70),
    (
        r"(?:most|lots of|a lot of|plenty of) (?:people|customers|of our customers)(?: \w+){0,2}"
        r" (?:have|don't|spot|realise|realize|know|manage|understand|do)",
        70,
    ),
    (r"i don't think we need to", 70),
    (r"no need to (?:shout|read anything|get (?:upset|worked up|angry|excited))", 70),
    (r"(?:it's|that's|this is) (?:one of those things|just one of those)", 60),
    (r"(?:can't|cannot) magic", 70),
    (r"(?:these|they|it) happen(?:s)? all the time", 60),
)
# Politeness that carries the opposite message.
PASSIVE_AGGRESSIVE: Final = (
    (r"(?:i'm|i am) sorry (?:you feel|that you feel|if you feel|you think|if you think)", 70),
    (r"sorry if (?:you|that|this) (?:feel|felt|were|was|are|is)", 60),
    (r"with (?:all due )?respect", 60),
    (r"as (?:per|mentioned|stated|explained) (?:in )?(?:my|our|the) (?:last|previous|earlier)", 60),
    (r"as (?:i )?(?:previously|already) (?:mentioned|stated|explained)", 70),
    (r"for the (?:third|second|fourth|hundredth|last) time", 80),
    (r"(?:i'll|i will|let me) (?:say|repeat|explain) (?:it|this|that) (?:again|one more time)", 70),
    (r"(?:no offence|no offense),? but", 60),
    (
        r"(?:thanks|thank you) (?:so much )?for your (?:patience|understanding)(?= \w+ (?:but"
        r"|though))",
        40,
    ),
    (r"(?:if that's|if that is) (?:ok|okay|alright|all right) with you(?=\s*[.?!]|\s*$)", 30),
    (r"(?:i )?hope (?:that|this) (?:clears|clarifies) (?:things|it|that|this) up", 40),
    (
        r"(?:feel free to|you're welcome to|you are welcome to) (?:complain|go elsewhere|leave"
        r"|take your business)",
        80,
    ),
    (r"(?:happy|glad) to (?:help|explain) (?:again|once more)", 50),
    (r"(?:i'm|i am) (?:trying|doing my best) (?:to|here)", 40),
    (r"(?:kindly|please) (?:note|understand|bear in mind)", 40),
    (r"^\s*(?:well|look|right),? (?:well,? )?", 50),
    (r"i suppose(?=\s*[.!?]|\s*$)", 50),
    (r"(?:i|we) can only (?:go by|tell you|do what)", 50),
    (r"i'm afraid(?=\s*[.!?]|\s*$)", 40),
)
# Shutting the conversation instead of holding it: composure reads them as cold, not calm.
BRUSH_OFFS: Final = (
    (
        r"(?:^|(?<=[.!?]))\s*(?:your choice|suit yourself|up to you|your call|your loss|fine"
        r"|whatever)(?=\s*[.!?]|\s*$)",
        80,
    ),
    (r"(?:take it or leave it|like it or not|that's that|end of)", 80),
    (r"(?:nothing (?:more|else) (?:i|we) can (?:do|say))", 60),
    (r"(?:i|we) can(?:'t|not) do anything(?: about it| more)?", 50),
    (r"(?:it is|it's|that's) what it is", 70),
    (r"(?:there's|there is) nothing (?:to discuss|to talk about|i can do)", 70),
    (r"(?:anything else|is that all|next)\?(?=\s*$)", 20),
    (r"(?:you'll|you will) (?:just )?have to (?:accept|live with|put up with)", 70),
    (r"or not\?", 80),
    (
        r"(?:that's|that is|it's) (?:entirely |totally |obviously |really )?(?:your (?:choice|call"
        r"|decision|lookout|problem)|up to you)(?=\s*[.!?]?\s*$)",
        80,
    ),
    (
        r"(?:it's|it is|that's|all this is|this was|all of this was) (?:all )?(?:in|on) (?:the"
        r"|your|our)"
        r" (?:terms|contract|letter|website|faq|app|inbox|email|policy|small print)",
        60,
    ),
    (r"(?:that's|it's) (?:just )?(?:how|the way) (?:it|things) (?:works?|goes|is)", 60),
    (r"(?:really )?(?:between you and|nothing to do with) (?:us|me|him|her|them|the)", 60),
    (r"(?:ring|call|come) back when", 60),
    (r"(?:the charges?|the decision|it|that) stands?(?=\s*[.!?]|\s*$)", 60),
    (r"(?:because|since) (?:it's|it is) \w+(?=\s*[.!?])", 40),
)
# A refusal with nothing after it: what can be done, or why.
CURT_REFUSALS: Final = (
    (
        r"(?:^|(?<=[.!?]))\s*(?:no|nope|not possible|can't do that|cannot do that|can't|no can do"
        r"|that's not possible|not happening|we don't do that)(?=\s*[.!?]|\s*$)",
        60,
    ),
)
# Plain sympathy: "I'm so sorry, that's awful" is the feeling acknowledged in ordinary words.
SYMPATHY: Final = (
    r"(?:i'm|i am) (?:so |really |very |truly )?sorry (?:to hear|you(?:'ve| have)? (?:had|been|gone"
    r"|went|got|faced|dealt|going)|that (?:happened|this happened|you)|this (?:happened"
    r"|has happened)"
    r"|for (?:what|the (?:worry|stress|trouble|hassle|fright|shock|upset))|about (?:the|this"
    r"|that|all)"
    r" (?:worry|stress|hassle|trouble|shock|fright|upset|mess|wait|delay|experience))",
    r"(?:what|that's|that is|such|how) (?:an? )?(?:awful|horrible|terrible|rotten|nasty|rubbish"
    r"|miserable|dreadful|stressful|worrying|upsetting|frightening|scary|unsettling|annoying"
    r"|frustrating|shitty|crappy|bloody awful|lousy|nightmare|pain)(?: \w+){0,2}",
    r"(?:that's|that is|what) a (?:real |total |complete |bloody )?(?:nightmare|pain|shame"
    r"|worry|shock)",
    r"(?:that|it) (?:shouldn't|should not) have happened",
    r"(?:i'd|i would) be (?:upset|worried|furious|angry|annoyed|livid|fuming) too",
    r"no one (?:should|wants to) have to",
    r"(?:that|this) (?:sounds|must be|must have been|is) (?:really |so |very )?(?:hard|tough"
    r"|difficult|a lot)",
    r"(?:oh )?no(?:,)? (?:that's|how) (?:awful|horrible|terrible)",
)
# Swearing at the situation, not at the customer: sympathy in rough words.
PROFANE_SYMPATHY: Final = (
    r"(?:that's|that is|what|how|such)(?: an?)? (?:\w+ )?(?:shit\w*|crap\w*|bloody|damn\w*"
    r"|hell of|fuck\w*)",
    r"(?:shit|crap|damn|bloody hell|hell)(?=\s*[,.!]\s*(?:that|i'm|i am|sorry|what))",
)
# Open questions about the customer's own situation: active listening, not blame.
EXPLORING: Final = (
    rf"(?:can|could|would) you (?:tell|walk|talk|show) me(?: {W}){{0,3}}? (?:what|which|when"
    rf"|where|how|about|through)",
    r"what (?:happened|did you see|did it say|did they say|did the \w+ say|exactly happened"
    r"|made you"
    r"|have you (?:tried|seen|noticed)|was the|is the|are you seeing|do you see|would help"
    r"|matters most)",
    rf"which (?:{W} ){{0,2}}(?:payment|charge|transaction|amount|item|order|parcel|bill|line"
    rf"|fee|message|email|text|account|number|date|one)",
    r"when (?:did|was|were|have) (?:you|it|this|that|the)",
    r"how (?:did|long have|often|much was|are you|is it|has it|have you)",
    r"where (?:did|were|was|have) (?:you|it|the)",
    r"(?:tell|walk) me (?:more|about|what|through|how)",
    r"is (?:it|this|that) the (?:payment|charge|amount|one|parcel|order|bill|fee)",
    r"do you (?:remember|recognise|recognize|know when|know which|still have|have the)",
    r"what (?:would|do) you (?:like|want|prefer|need)(?: me)? to",
)
# Stock empathy and promises that fit any call: on their own they answer no one in particular.
STOCK: Final = (
    r"i (?:completely |totally |really |fully )?(?:understand|hear you|appreciate|get)(?: (?:it"
    r"|that"
    r"|this|your (?:frustration|concern|worry|worries|situation|anger|feelings?|position|point"
    r"|problem|upset|annoyance)|how (?:you feel|frustrating|worrying|annoying|upsetting|stressful)"
    r"(?: \w+){0,3}|why you(?:'re| are)? (?:feel|feeling|frustrated|upset|worried|annoyed|angry"
    r"|concerned)))?",
    r"(?:that|this|it)(?:'s| is| must be| sounds)(?: {W}){0,3} (?:worrying|frustrating|upsetting"
    r"|stressful|concerning|annoying|difficult|hard|awful|horrible)",
    r"you(?:'re| are) (?:absolutely |quite |completely |so )?right(?: to (?:be )?{W}(?: {W})?)?",
    r"(?:thank you|thanks) for (?:your patience|bearing with|calling|your call|getting in touch"
    r"|raising"
    r" this|letting us know|being patient)",
    r"(?:i'm|i am|we're|we are) (?:so |really |very |truly )?sorry(?: (?:about|for) (?:that"
    r"|this|the"
    r" (?:inconvenience|trouble|wait|confusion)))?",
    r"(?:my|our|sincere) apologies(?: for (?:the|any) \w+)?",
    r"(?:i'll|i will|we'll|we will|let me|i'm going to) (?:sort|look into|take care of"
    r"|deal with|get"
    r" to the bottom of|fix|help with|resolve|handle|look at)(?: {W}){0,2}(?: (?:for you|today"
    r"|now|right"
    r" away|straight away|asap|as soon as possible)){0,2}",
    r"(?:is there )?anything else (?:i can (?:help|do)|you need)(?: {W}){0,3}",
    r"(?:we )?(?:value|appreciate) (?:you|your (?:business|custom|patience"
    r"|loyalty))(?: as a customer)?",
    r"(?:your|the) (?:satisfaction|experience) (?:is|matters)(?: {W}){0,3}",
    r"(?:rest assured|don't worry)(?: {W}){0,3}",
    r"(?:we|i) take (?:this|these|it|your \w+) (?:very |really )?seriously",
    r"(?:i|we) (?:want|would like|'d like) to (?:help|make (?:this|it|things) right)",
    r"(?:i'm|i am) here (?:to help|for you)",
    r"does (?:that|this) (?:help|make sense)",
)
