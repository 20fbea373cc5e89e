"""Password rules in the site's own words."""

from django.contrib.auth import password_validation
from django.utils.translation import gettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule (12 here: OWASP ASVS level 2), saying how to meet it."""

    def get_error_message(self) -> str:
        return gettext(
            "This password is too short: use at least %(min_length)d characters. "
            "A few unrelated words make a long password that's easy to remember."
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return gettext(
            "At least %(min_length)d characters. A few unrelated words are easy to "
            "remember and hard to guess."
        ) % {"min_length": self.min_length}
