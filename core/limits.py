"""The one message for text longer than its field allows."""

from django.utils.translation import gettext


def over_limit_message(length: int, limit: int, *, saving: bool = True) -> str:
    """Say how long the text is, the limit and by how much to shorten it; the text is kept.
    *saving* False: for a form that is not saved (printing), "try again" rather than "save"."""
    numbers = {"length": f"{length:,}", "limit": f"{limit:,}", "over": f"{length - limit:,}"}
    if not saving:
        return (
            gettext(
                "This is %(length)s characters; the limit is %(limit)s. Shorten it by %(over)s "
                "characters and try again: your text is still here."
            )
            % numbers
        )
    return (
        gettext(
            "This is %(length)s characters; the limit is %(limit)s. Shorten it by %(over)s "
            "characters and save again: your text is still here."
        )
        % numbers
    )


def too_many_lines_message(lines: int, limit: int) -> str:
    """Say how many lines the text has and how many fit; the text is kept."""
    return gettext(
        "This has %(lines)s lines; the limit is %(limit)s. Join or remove %(over)s lines "
        "and try again: your text is still here."
    ) % {"lines": f"{lines:,}", "limit": f"{limit:,}", "over": f"{lines - limit:,}"}
