"""What other customers say: the yardstick that tells a reply for THIS caller from a formula.

A reply answers this customer when it is closer in meaning to their line than to most of these.
"I can hear how worrying this is, I'll sort it today" is about as close to every line here as to
this one: it fits any call. The lines span the situations the training covers and everyday
service calls; they carry no labels and are not examples of good or bad replies.
"""

from __future__ import annotations

from typing import Final

OTHER_CALLERS: Final = (
    # Banking and cards
    "There's a payment on my card I never made and I want my money back.",
    "Someone has taken money out of my account, what are you going to do about it?",
    "My card was declined at the shop even though there's money in the account.",
    "How do I know you're really the bank and not a scammer?",
    "I'm not giving you my date of birth, I don't know who you are.",
    "My online banking is locked and I can't pay my rent.",
    "I got an email saying my account will be closed unless I click a link.",
    "Why was my transfer to my landlord stopped?",
    "I want to close my account, I've had enough of the fees.",
    "The cash machine kept my card and didn't give me any money.",
    # Deliveries and retail
    "My parcel says delivered but it never arrived.",
    "I've been waiting three weeks for my refund and it still isn't here.",
    "The sofa arrived damaged and nobody will come and collect it.",
    "You charged me for an order I cancelled.",
    "I got a text saying I owe a customs fee before my parcel is delivered.",
    "The washing machine broke after ten months and you've refused the warranty claim.",
    "I was sent the wrong size and the returns label doesn't work.",
    "The courier left my parcel in the rain and everything inside is ruined.",
    # Telecoms and broadband
    "My broadband keeps dropping out every evening.",
    "My bill has gone up by fifteen pounds and nobody told me.",
    "There's a charge on my phone bill for something I never signed up for.",
    "Are you just trying to sell me a more expensive package?",
    "The engineer didn't turn up and I took the day off work.",
    "I've had no phone signal at home for a week.",
    "I want to leave my contract early without paying the fee.",
    "My new phone was supposed to arrive yesterday.",
    # Utilities
    "My energy bill has doubled and I haven't used any more gas.",
    "You've estimated my meter reading and it's completely wrong.",
    "My direct debit has gone up again without any warning.",
    "There's been no hot water since the boiler was serviced.",
    "I'm being charged for a meter that isn't even mine.",
    "My water bill is in my late husband's name and I don't know how to change it.",
    # Insurance
    "My car insurance claim has been rejected and I don't understand why.",
    "My home insurance renewal price has gone up by two hundred pounds.",
    "The insurer wrote off my car and offered me far less than it's worth.",
    "I've been waiting months for my travel insurance to pay out.",
    "Does my policy cover water damage from a burst pipe?",
    # Plain questions
    "How long will the refund take?",
    "Can you give me a reference number for this?",
    "What happens next?",
    "When will my new card arrive?",
    "Which details do you actually need from me?",
    "What does the premium package cost, exactly?",
    "Do you ever send texts asking for payment?",
    # Anger and abuse
    "This is the third time I've called and nobody has done anything.",
    "You're useless, put me through to your manager.",
    "I've been on hold for forty minutes, this is a joke.",
    "Are you stupid or something? I've explained this already.",
    "I'm going to complain to the ombudsman about this.",
    "Every time I ring I get a different answer.",
)
