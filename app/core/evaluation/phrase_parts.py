"""The building blocks of the evaluator's phrases: a word, feelings, secrets, actions owned."""

from __future__ import annotations

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
    r"|return|approv|book|unlock|overturn|waiv|process|trac|updat|cover|repair|move|put"
    r"|ask (?:the|our|a) (?:\w+ )?(?:team|manager|supervisor|department|engineer)"
    r"|stay on the line)\w*"
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
