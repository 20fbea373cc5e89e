"""Password rules in the site's own words."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule (12 here: OWASP ASVS level 2), saying how to meet it."""

    def get_error_message(self) -> str:
        return (
            f"This password is too short: use at least {self.min_length} characters. "
            "A few unrelated words make a long password that's easy to remember."
        )

    def get_help_text(self) -> str:
        return (
            f"At least {self.min_length} characters. A few unrelated words are easy to "
            "remember and hard to guess."
        )
