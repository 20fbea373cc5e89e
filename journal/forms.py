from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.limits import over_limit_message
from core.markdown import MAX_LENGTH
from guides.content import site_content

from .index import normalise_tag, query_terms
from .models import CLOSENESS, MOODS, SUGGESTED_BY, EntryContent, OpenedEntry, TryContent, step_for
from .selectors import EntryFilters

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TITLE_LENGTH = 200
TAG_LENGTH = 32
MAX_TAGS = 12
PROMPT_LENGTH = 500
STEP_LENGTH = 200
TAGS_LENGTH = 600
QUERY_LENGTH = 200
# An entry's version only ever counts saves; anything larger is not one of ours.
MAX_VERSION = 2**31 - 1
EARLIEST = date(1900, 1, 1)
_TAG = re.compile(r"^[^\W_]+(?:[ '\u2019-][^\W_]+)*$")
_STEP_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$")
MOOD_CHOICES = [("", _("Not set")), *((str(value), label) for value, label in MOODS.items())]
EMPTY_ENTRY = _("This entry is empty. Write something before saving: even one line is enough.")
DATE_FORMAT_HELP = _("Use the form YYYY-MM-DD, for example 2026-03-14.")


UNREADABLE_DATE = _("That is not a date we can read.")


def date_field(
    label: StrOrPromise,
    *,
    required: StrOrPromise | None = None,
    invalid: StrOrPromise = UNREADABLE_DATE,
) -> forms.DateField:
    """A date box (the browser's date picker) whose messages end with the format to use.

    *required* is the message for an empty box; without it the box may be left empty.
    """
    messages = {"invalid": format_lazy("{} {}", invalid, DATE_FORMAT_HELP)}
    if required is not None:
        messages["required"] = format_lazy("{} {}", required, DATE_FORMAT_HELP)
    return forms.DateField(
        label=label,
        required=required is not None,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=messages,
    )


def parse_tags(text: str) -> tuple[str, ...]:
    """Split "work, hope" into tags, or raise ValidationError naming each tag that is wrong."""
    tags: list[str] = []
    errors = []
    for raw in text.split(","):
        tag = normalise_tag(raw) if raw.strip() else ""
        if not tag:
            continue
        if len(tag) > TAG_LENGTH:
            errors.append(
                f"The tag “{tag[:40]}…” is too long: a tag can have {TAG_LENGTH} characters."
            )
        elif not _TAG.match(tag):
            errors.append(
                f"The tag “{tag}” can only hold letters, numbers, spaces, hyphens and apostrophes."
            )
        elif tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        errors.append(f"Use at most {MAX_TAGS} tags; this entry has {len(tags)}.")
    if errors:
        raise ValidationError(errors)
    return tuple(tags)


def check_body(body: str) -> str:
    """Normalise line endings; refuse an empty body or one over the limit, saying by how much."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if not body.strip():
        raise ValidationError(EMPTY_ENTRY)
    if len(body) > MAX_LENGTH:
        raise ValidationError(over_limit_message(len(body), MAX_LENGTH))
    return body


def check_date(value: date) -> date:
    latest = timezone.localdate() + timedelta(days=1)  # a day's grace for time zones ahead of UTC
    if value > latest:
        raise ValidationError(_("The date is in the future. Choose today or an earlier day."))
    if value < EARLIEST:
        raise ValidationError(format_lazy("{} {}", _("The date is too early."), DATE_FORMAT_HELP))
    return value


def check_step_key(step_key: str) -> str:
    if step_key and not _STEP_KEY.match(step_key):
        raise ValidationError(
            _("“%(step)s” is not a guide step (guide-slug/step-slug).") % {"step": step_key[:60]}
        )
    return step_key


class EntryForm(forms.Form):
    title = forms.CharField(
        max_length=TITLE_LENGTH,
        required=False,
        help_text=_("A few words to find it by later. You can leave it blank."),
    )
    body = forms.CharField(
        label=_("Your entry"),
        strip=False,
        error_messages={"required": EMPTY_ENTRY},
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "true"}),
        help_text=format_lazy(
            _(
                "Write freely. You can use Markdown: *italics*, **bold**, - lists, > quotes. "
                "Up to {max_length} characters."
            ),
            max_length=f"{MAX_LENGTH:,}",
        ),
    )
    entry_date = date_field(_("Date"), required=_("Give the entry a date."))
    mood = forms.TypedChoiceField(
        label=_("How are you feeling?"),
        choices=MOOD_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=TAGS_LENGTH,
        help_text=_("Separate tags with commas, for example: work, hope, talking."),
    )
    prompt = forms.CharField(required=False, max_length=PROMPT_LENGTH, widget=forms.HiddenInput)
    step = forms.CharField(required=False, max_length=STEP_LENGTH, widget=forms.HiddenInput)
    version = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_VERSION, widget=forms.HiddenInput
    )
    draft = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, original_prompt: tuple[str, str] = ("", ""), **kwargs):
        self.original_prompt = original_prompt
        super().__init__(*args, **kwargs)

    def clean_body(self) -> str:
        return check_body(self.cleaned_data["body"])

    def clean_entry_date(self) -> date:
        return check_date(self.cleaned_data["entry_date"])

    def clean_tags(self) -> tuple[str, ...]:
        return parse_tags(self.cleaned_data["tags"])

    def clean(self):
        cleaned = super().clean()
        pair = (cleaned.get("step", ""), cleaned.get("prompt", ""))
        if pair != self.original_prompt and pair != ("", "") and not is_site_prompt(*pair):
            # Only reachable by editing the hidden fields: drop the link, keep the writing.
            cleaned["step"], cleaned["prompt"] = self.original_prompt
        return cleaned

    def content(self) -> EntryContent:
        data = self.cleaned_data
        return EntryContent(
            title=data["title"],
            body=data["body"],
            entry_date=data["entry_date"],
            mood=data["mood"],
            tags=data["tags"],
            prompt=data["prompt"],
            step_key=data["step"],
        )


def is_site_prompt(step_key: str, prompt: str) -> bool:
    step = step_for(step_key)
    return step is not None and prompt in step.prompts


def prompt_initial(step_key: str, prompt: str) -> dict[str, str]:
    """Initial values for ?step=…&prompt=… when they name one of the guides' prompts."""
    if is_site_prompt(step_key, prompt):
        return {"step": step_key, "prompt": prompt}
    return {}


def entry_initial(entry: OpenedEntry) -> dict:
    """The form's initial values for an opened entry (selectors.entry_content, body=True)."""
    return {
        "title": entry.title,
        "body": entry.body,
        "entry_date": entry.entry_date,
        "mood": str(entry.mood or ""),
        "tags": ", ".join(entry.tags),
        "prompt": entry.prompt,
        "step": entry.step_key,
        "version": entry.version,
    }


NOTHING_TO_SEARCH = (
    "There is nothing to search for in “{query}”: search looks for whole words of two "
    "letters or more, or numbers. Type a word, or clear the search box."
)
ONLY_SPACES = "The search box holds only spaces. Type a word to search for, or clear the box."


class FilterForm(forms.Form):
    # Not stripped: a box of spaces is a search for nothing, said so, not every entry.
    q = forms.CharField(
        label=_("Search"),
        required=False,
        strip=False,
        max_length=QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=TAG_LENGTH)
    mood = forms.TypedChoiceField(
        choices=[("", _("Any mood")), *MOOD_CHOICES[1:]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    guide = forms.ChoiceField(required=False)
    start = date_field(_("From"), invalid=_("The “from” date is not one we can read."))
    end = date_field(_("To"), invalid=_("The “to” date is not one we can read."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guide"].choices = [
            ("", _("Any guide")),
            *((guide.slug, guide.title) for guide in site_content().guides),
        ]

    def clean_q(self) -> str:
        query = self.cleaned_data["q"]
        if query and not query.strip():
            raise ValidationError(ONLY_SPACES)
        if query and not query_terms(query):
            raise ValidationError(NOTHING_TO_SEARCH.format(query=" ".join(query.split())[:60]))
        return query.strip()

    def clean_tag(self) -> str:
        tag = self.cleaned_data["tag"]
        return parse_tags(tag)[0] if tag.strip() else ""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The “to” date is before the “from” date."))
        return cleaned

    def filters(self) -> EntryFilters:
        """The filters that passed; the form shows what is wrong with the others."""
        if self.is_bound:
            self.is_valid()  # fills cleaned_data with the fields that passed
        data = getattr(self, "cleaned_data", {})
        return EntryFilters(
            # A query with nothing to search for finds nothing (never every entry).
            unsearchable=self.is_bound and "q" in self.errors,
            query=(data.get("q") or "").strip(),
            tag=data.get("tag") or "",
            mood=data.get("mood"),
            guide=data.get("guide") or "",
            start=data.get("start"),
            end=data.get("end"),
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Export file"),
        help_text=_("A .zip of Markdown files or a .json file, as made by Export."),
        error_messages={
            "required": _("Choose a file to import."),
            "empty": _("That file is empty."),
        },
    )


PDF_TITLES = ["Notes", "Personal notes", "Reflections", "Notes for my appointment"]
FORMATS = [
    ("pdf", "PDF to print or bring to a therapist"),
    ("zip", "Markdown files in a .zip (to keep, or to import later)"),
    ("json", "JSON (to keep, or to import later)"),
]


class ExportForm(FilterForm):
    """Which entries (the list's filters; the page shows dates and tag) and in which form."""

    format = forms.ChoiceField(choices=FORMATS, initial="pdf", widget=forms.RadioSelect)
    title = forms.ChoiceField(
        label=_("Title on the PDF and the file name"),
        choices=[(title, title) for title in PDF_TITLES],
        initial=PDF_TITLES[0],
        help_text=_("Plain titles, so a printed page or a file name says nothing about the site."),
    )


# --- What we tried ----------------------------------------------------------------------

WHAT_LENGTH = 200
TRY_NOTE_LENGTH = 1000
CLOSENESS_CHOICES = [(str(value), str(value)) for value in CLOSENESS]


class TryForm(forms.Form):
    """One thing tried together: when, what, who suggested it and how close it felt (0-10)."""

    tried_on = date_field(_("When"), required=_("Say when you tried it."))
    what = forms.CharField(
        label=_("What you tried"),
        max_length=WHAT_LENGTH,
        help_text=_("A few words, for example: phone-free dinner, or chapter 2 of a book."),
        error_messages={"required": _("Say what you tried, in a few words.")},
    )
    suggested_by = forms.ChoiceField(
        label=_("Who suggested it?"),
        choices=list(SUGGESTED_BY.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who suggested it.")},
    )
    closeness = forms.TypedChoiceField(
        label=_("How close did you feel, from 0 (not at all) to 10 (very close)?"),
        choices=CLOSENESS_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 0 to 10.")},
    )
    note = forms.CharField(
        label=_("A note"),
        required=False,
        max_length=TRY_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What helped, what to keep or change next time."),
    )

    def clean_tried_on(self) -> date:
        return check_date(self.cleaned_data["tried_on"])

    def content(self) -> TryContent:
        data = self.cleaned_data
        return TryContent(
            tried_on=data["tried_on"],
            what=data["what"].strip(),
            suggested_by=data["suggested_by"],
            closeness=data["closeness"],
            note=data["note"].strip(),
        )
