"""The keyed search index: what an entry can be found by, without storing any of its words.

Each entry's words (title, body, tags) are normalised, then replaced by a keyed
token (accounts.crypto.UserKeys.index_token: an HMAC with the owner's own key).
Tags, the mood and the guide get tokens of their own, in their own namespaces,
so every filter but the date is the same exact match on an indexed integer.

Normalising and stemming are core.text's, the same as the guide search's:
accents dropped, case folded, apostrophes dropped, and plurals and endings cut
("feelings" finds "feeling", "talked" finds "talking"). Search is by whole
stems; prefixes are not indexed (that would multiply the index by five). When
the stemmer changes, the tokens already stored no longer match what a search
asks for: a data migration then calls reindex_all(), which rebuilds every
entry's tokens from its sealed text.

What a stolen database still shows (docs/privacy.md): which of one person's
entries share a word, a tag or a mood, and how often; not which words they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accounts.crypto import UserKeys
from core import text as folding
from core.text import normalise

MAX_WORD = 40


def words(text: str) -> list[str]:
    """The searchable stems of *text*, in order, with repeats (a lone digit counts)."""
    return [
        word
        for word in folding.words(text)
        if len(word) <= MAX_WORD and (len(word) >= 2 or word.isdigit())
    ]


def normalise_tag(tag: str) -> str:
    return " ".join(normalise(tag).split())


def word_term(word: str) -> str:
    return f"w:{word}"


def tag_term(tag: str) -> str:
    return f"t:{normalise_tag(tag)}"


def mood_term(mood: int) -> str:
    return f"m:{mood}"


def guide_term(guide_slug: str) -> str:
    return f"g:{guide_slug}"


def entry_terms(
    *, title: str, body: str, tags: Iterable[str], mood: int | None, step_key: str
) -> set[str]:
    """Every term an entry can be found by: its words, tags, mood and guide."""
    terms = {word_term(word) for word in words(f"{title}\n{body}\n{' '.join(tags)}")}
    terms.update(tag_term(tag) for tag in tags)
    if mood:
        terms.add(mood_term(mood))
    if step_key:
        terms.add(guide_term(step_key.split("/", 1)[0]))
    return terms


def tokens(keys: UserKeys, terms: Iterable[str]) -> list[int]:
    return sorted({keys.index_token(term) for term in terms})


class Tokens:
    """tokens() for a batch of one person's entries (an import), each term's HMAC worked out once.

    People's words repeat from entry to entry, so most of a batch's terms were met
    before. At most *kept* terms are remembered (a few tens of MB at the most).
    """

    def __init__(self, keys: UserKeys, *, kept: int = 200_000) -> None:
        self._keys = keys
        self._kept = kept
        self._known: dict[str, int] = {}

    def __call__(self, terms: Iterable[str]) -> list[int]:
        known = self._known
        if len(known) > self._kept:
            known.clear()
        found = set()
        for term in terms:
            token = known.get(term)
            if token is None:
                token = known[term] = self._keys.index_token(term)
            found.add(token)
        return sorted(found)


def query_terms(query: str) -> list[str]:
    """The word terms of a search query, without repeats, in the order typed."""
    seen: list[str] = []
    for word in words(query):
        term = word_term(word)
        if term not in seen:
            seen.append(term)
    return seen


def reindex_all(apps: Any, *, batch: int = 500) -> int:
    """Rebuild every entry's tokens from its sealed text with today's words(); return how many.

    For data migrations (*apps* is the migration's registry), so that a change to the
    stemmer never leaves anyone's older entries unfindable. Idempotent: run twice, it
    writes the same tokens. Entries are read *batch* at a time, one person's at a time,
    with each person's key unwrapped once. An entry its owner's key cannot open (it
    never should) keeps the tokens it had.
    """
    from accounts.sealing import InvalidToken, keys_in_migration, open_sealed, open_sealed_json

    entry_model = apps.get_model("journal", "JournalEntry")
    token_model = apps.get_model("journal", "EntryToken")
    user_key_model = apps.get_model("accounts", "UserKey")
    owners = entry_model.objects.order_by("user_id").values_list("user_id", flat=True).distinct()
    done = 0
    for user_id in owners:
        keys = keys_in_migration(user_key_model, user_id)
        rows = (
            entry_model.objects.filter(user_id=user_id)
            .order_by("pk")
            .values_list("pk", "sealed_meta", "sealed_body")
        )
        pending: dict[Any, list[int]] = {}
        for pk, sealed_meta, sealed_body in rows.iterator(chunk_size=batch):
            try:
                meta = open_sealed_json(keys, sealed_meta)
                body = open_sealed(keys, sealed_body)
            except InvalidToken:
                continue
            terms = entry_terms(
                title=meta["title"],
                body=body,
                tags=meta["tags"],
                mood=meta["mood"],
                step_key=meta["step"],
            )
            pending[pk] = tokens(keys, terms)
            if len(pending) >= batch:
                done += _replace_tokens(token_model, pending)
        done += _replace_tokens(token_model, pending)
    return done


def _replace_tokens(token_model: Any, pending: dict[Any, list[int]]) -> int:
    token_model.objects.filter(entry_id__in=list(pending)).delete()
    token_model.objects.bulk_create(
        token_model(entry_id=pk, token=token) for pk, found in pending.items() for token in found
    )
    count = len(pending)
    pending.clear()
    return count
