"""The safety plan's sections: what each asks, a little guidance, examples, and its fields.

One table for the form, the page, the PDF (with its plain "safe to print" wording), the
compare page and the export. The words are short on purpose: people read this in a bad
moment (tests/safety hold the page at reading grade 6 or below).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# What one field holds at most. A plan at every limit prints to about a dozen pages.
TEXT_LIMIT = 1_000
LINE_LIMIT = 25
# The lines a region fills in can be longer than what people type.
HOTLINES_LIMIT = 2_000
HOTLINES_LINE_LIMIT = 40


@dataclass(frozen=True)
class Field:
    name: str
    label: StrOrPromise
    neutral: StrOrPromise  # the label on a "safe to print" PDF
    help: StrOrPromise
    rows: int = 3
    limit: int = TEXT_LIMIT
    line_limit: int = LINE_LIMIT


@dataclass(frozen=True)
class Section:
    slug: str
    title: StrOrPromise
    neutral: StrOrPromise  # the heading on a "safe to print" PDF
    guidance: tuple[StrOrPromise, ...]
    examples: tuple[StrOrPromise, ...]
    fields: tuple[Field, ...]


SECTIONS = (
    Section(
        slug="signs",
        title=_("Signs that things are getting worse"),
        neutral=_("Things I notice"),
        guidance=(
            _(
                "Think back to the times it got bad. What came first? Signs often show up "
                "hours or days before."
            ),
            _("When you see them, you can act sooner: leave, call someone, or go to a safer room."),
        ),
        examples=(
            _("They go very quiet, or start to shout at small things."),
            _("They drink more, or stop sleeping."),
            _("They check my phone, or ask where I was again and again."),
            _("Threats get more real, or they talk about weapons."),
        ),
        fields=(
            Field(
                "warning_signs",
                _("The signs I watch for"),
                _("What I notice"),
                _("One sign a line is fine."),
                rows=4,
            ),
        ),
    ),
    Section(
        slug="calm",
        title=_("Staying calm and safe in the moment"),
        neutral=_("What helps"),
        guidance=(
            _("You can't control what they do. You can have a few steps ready for yourself."),
            _(
                "If you can, keep away from the kitchen, the bathroom and small rooms. Stay "
                "near a door or a way out."
            ),
        ),
        examples=(
            _("Breathe out slowly and count to ten."),
            _("Say I need the toilet, and step out."),
            _("Go to the room with a door to the street."),
            _("Keep my shoes and keys near the door."),
        ),
        fields=(
            Field(
                "calm",
                _("What helps me stay calm"),
                _("What helps me"),
                _("Small things you can do right then."),
            ),
            Field(
                "safe_spots",
                _("Safer places at home, and how I would get out"),
                _("Places and ways out"),
                _("Rooms with a way out, and the door or window you would use."),
            ),
        ),
    ),
    Section(
        slug="people",
        title=_("People and places I can go to"),
        neutral=_("People and places"),
        guidance=(
            _(
                "Pick people you trust who will not tell your partner. Ask them first if "
                "you can come to them, day or night."
            ),
            _("Learn their numbers by heart if you can, in case your phone is taken."),
        ),
        examples=(
            _("My sister: she knows, and I can stay with her."),
            _("A neighbour who will call for help if she hears shouting."),
            _("The shop on the corner that is open all night."),
            _("A friend's house, a library, or a place of worship."),
        ),
        fields=(
            Field(
                "people",
                _("People I can call or go to"),
                _("People"),
                _("Names, numbers, and what they know."),
                rows=4,
            ),
            Field(
                "places",
                _("Places I can go"),
                _("Places"),
                _("Somewhere safe to go for an hour, or for a night."),
            ),
        ),
    ),
    Section(
        slug="services",
        title=_("Services and hotlines"),
        neutral=_("Numbers"),
        guidance=(
            _(
                "Choose where you live, and we fill in lines you can call there. Change them, "
                "take some out, or add your own."
            ),
            _(
                "The people on these lines are trained. They can help you plan, find a safe "
                "place to stay, or just listen."
            ),
        ),
        examples=(
            _("My doctor, and the name of a nurse I trust."),
            _("A support worker or a counsellor."),
            _("A lawyer or a legal advice line."),
            _("The local police station, for when it is not an emergency."),
        ),
        fields=(
            Field(
                "hotlines",
                _("Lines I can call"),
                _("Numbers to call"),
                _("Filled in for the place you chose. You can change them."),
                rows=8,
                limit=HOTLINES_LIMIT,
                line_limit=HOTLINES_LINE_LIMIT,
            ),
            Field(
                "services",
                _("Other services"),
                _("Other numbers"),
                _("A doctor, a counsellor, a support worker, a lawyer."),
            ),
        ),
    ),
    Section(
        slug="safer",
        title=_("Making things safer"),
        neutral=_("Things to sort out"),
        guidance=(
            _(
                "A few things done ahead of time make it easier to leave in a hurry, or to "
                "get help."
            ),
            _(
                "Only do what is safe. If your partner finds a bag or a new account, it could "
                "make things worse. Keep things with a friend if you can."
            ),
        ),
        examples=(
            _("Copies of my passport and bank cards at my friend's house."),
            _("A bag with keys, pills, a charger and some clothes."),
            _("Some cash in a place only I know."),
            _("A code word that means call the police: “pineapple”."),
        ),
        fields=(
            Field(
                "documents",
                _("Documents"),
                _("Papers"),
                _("ID, passport, birth papers, bank cards, medical papers. Where are the copies?"),
            ),
            Field(
                "bag",
                _("A bag ready to go"),
                _("A bag"),
                _("What goes in it, and where it is kept."),
            ),
            Field(
                "money",
                _("Money"),
                _("Money"),
                _("Some cash, a bank account of your own, someone who could lend you some."),
            ),
            Field(
                "code_word",
                _("A code word"),
                _("A word to remember"),
                _(
                    "A word or emoji that tells someone you trust to call for help or come "
                    "and get you."
                ),
            ),
            Field(
                "phone",
                _("Phone and accounts"),
                _("Phone"),
                _(
                    "Change passwords, turn off sharing your location, look for apps you did "
                    "not add. Use a phone or computer they can't see."
                ),
            ),
        ),
    ),
    Section(
        slug="hard-moments",
        title=_("If I have thoughts of hurting myself"),
        neutral=_("On hard days"),
        guidance=(
            _(
                "Living with fear can wear you down. Some people start to think about hurting "
                "themselves, or about not being here. If that happens to you, you are not "
                "alone, and the feeling can pass."
            ),
            _(
                "Write down what you will do, step by step, while you feel steady. If you "
                "might act on the thoughts soon, call an emergency number now."
            ),
        ),
        examples=(
            _("Go outside and walk to the park."),
            _("Text my friend Jo: she said I can, any time."),
            _("Call a crisis line and say how I feel."),
            _("Give my pills to my sister to keep."),
        ),
        fields=(
            Field(
                "hard_signs",
                _("How I can tell a hard time is coming"),
                _("How I can tell"),
                _("Thoughts, feelings or things that happen first."),
            ),
            Field(
                "hard_steps",
                _("What I will do, step by step"),
                _("Steps"),
                _("Start with small things, then who you will call."),
                rows=4,
            ),
            Field(
                "reasons",
                _("What matters to me"),
                _("What matters"),
                _("People, pets, plans, things you love."),
            ),
            Field(
                "safer_space",
                _("Making where I am safer"),
                _("Around me"),
                _("What you could put away, or ask someone to keep for now."),
            ),
        ),
    ),
)

FIELDS = tuple(field for section in SECTIONS for field in section.fields)
TEXT_FIELDS = tuple(field.name for field in FIELDS)
BY_SLUG = {section.slug: section for section in SECTIONS}
