"""Starting points from the "Set boundaries" guide, written for the builder.

Each is a draft to change, not a script: the builder copies it into a new boundary
and the user makes it theirs. Every one is phrased as the user's own action, and
none is about a warning sign of abuse (being followed, called names, put down, scared):
those are not boundary material, and the wording check answers them with a safety note.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_noop as _  # plain str; the form translates

from .models import BoundaryContent, Status

REVIEW_AFTER_DAYS = 28


@dataclass(frozen=True)
class Example:
    slug: str
    title: str
    summary: str
    need: str
    action: str
    say: str
    if_crossed: str
    support: str

    def content(self, *, today: datetime.date | None = None) -> BoundaryContent:
        today = today or timezone.localdate()
        return BoundaryContent.of(
            self,
            status=Status.DRAFTING.value,
            review_on=today + datetime.timedelta(days=REVIEW_AFTER_DAYS),
        )


EXAMPLES = (
    Example(
        slug="same-argument",
        title=_("Stepping out of the same old argument"),
        summary=_("For the row you both know by heart, that ends where it started."),
        need="Peace of mind, and evenings that don't end in the fight we had last week.",
        action=(
            "I will notice when we are replaying an argument we have already had, name it, "
            "and step out of it until one of us has something new to bring."
        ),
        say=(
            "I can hear us going over the same ground again, and it leaves us both sore. "
            "I'm going to stop here for tonight. If something new comes up, I'm glad to talk."
        ),
        if_crossed=(
            "If it starts up again the same evening, I will say once, calmly, that I'm "
            "stepping out, and go and read in the other room."
        ),
        support="My journal, so I can write it down instead of replaying it in bed.",
    ),
    Example(
        slug="not-the-counsellor",
        title=_("Not being the only one who listens"),
        summary=_("For when you have become your partner's round-the-clock counsellor."),
        need="My own energy, and a relationship where care flows both ways.",
        action=(
            "I will listen when my partner has had a hard day, and when I'm running on empty "
            "I will say so and close the conversation kindly rather than listen for hours."
        ),
        say=(
            "I care about what you're carrying. I have about twenty minutes in me tonight, "
            "and then I need to rest. I'd be really glad if you had other people to lean on too."
        ),
        if_crossed=(
            "If the talk runs on past the time I gave, I will say goodnight warmly and leave "
            "the room, without debating it."
        ),
        support="My own counsellor, and my sister, who I can phone on Sunday afternoons.",
    ),
    Example(
        slug="time-limit",
        title=_("A time limit for talks that go nowhere"),
        summary=_("For long conversations about the relationship that never land."),
        need="Calm, and hard conversations that have a start and a finish.",
        action=(
            "I will give difficult talks about us a set time, about forty minutes, and end "
            "them when the time is up, even if nothing is settled."
        ),
        say=(
            "I want us to be able to talk about this. I'll set a timer for forty minutes, "
            "and if we're still stuck when it rings, I'd like us to stop and try again on "
            "Saturday morning."
        ),
        if_crossed=(
            "If we carry on past the timer, I will say the time is up, suggest a day to come "
            "back to it, and go out for a walk."
        ),
        support="The timer on my phone, and a friend I can text for a nudge beforehand.",
    ),
    Example(
        slug="repeated-pattern",
        title=_("Acting when a pattern repeats"),
        summary=_(
            "For the same letdown coming back again and again, with a step decided in advance."
        ),
        need="Time I can count on, and not spending another Saturday waiting in.",
        action=(
            "When plans we made together get dropped at the last minute, I will go ahead "
            "on my own or with a friend, rather than stay home waiting."
        ),
        say=(
            "I've been looking forward to this. If it falls through again, I'm still going "
            "to go, and I'll ask Priya to come with me. We can try again another week."
        ),
        if_crossed=(
            "The first time, I'll remind myself this is my plan and go without an argument. "
            "If it keeps happening, I will talk through what to do next with my counsellor."
        ),
        support="Priya, who is happy to be my back-up for a film or a walk.",
    ),
    Example(
        slug="how-i-am-treated",
        title=_("Saying how I want to be treated"),
        summary=_("For telling your partner plainly what works for you when things are tense."),
        need="Respect, and knowing where I stand.",
        action=(
            "I will tell my partner plainly that I'd rather hear when they're annoyed with "
            "me than live with days of silence, and I will ask once what's wrong."
        ),
        say=(
            "When you're upset with me, I'd like to hear it straight, even if it's hard "
            "to hear. A few days of silence leave me guessing."
        ),
        if_crossed=(
            "If the silence goes on, I will ask once, kindly, what's wrong, and then get on "
            "with my evening instead of waiting for an answer."
        ),
        support="A close friend I can talk to honestly about how these quiet spells leave me.",
    ),
    Example(
        slug="taking-a-break",
        title=_("Taking a break when it gets too much"),
        summary=_("For the moment you feel yourself flooding and need room to breathe."),
        need="Rest, and the chance to answer rather than snap.",
        action=(
            "I will take a short break when I feel overwhelmed, and tell my partner when "
            "I'll be back to finish the conversation."
        ),
        say=(
            "I'm starting to feel flooded, and I don't want to say something I'll be sorry "
            "for. I'm taking twenty minutes, and then I'll come back so we can carry on."
        ),
        if_crossed=(
            "If twenty minutes is not enough, I will say so when I come back and suggest "
            "another time, such as tomorrow after work."
        ),
        support="A walk outside, a slow breath, and a friend I can message.",
    ),
)

BY_SLUG = {example.slug: example for example in EXAMPLES}
