"""allauth's sign-up form, made to cost the same whether or not the address has an account.

Wired in through ACCOUNT_FORMS (config/settings/base.py), as allauth documents.
"""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password


class SignupForm(AllauthSignupForm):
    """Hash the password whether or not the address already has an account.

    With ACCOUNT_PREVENT_ENUMERATION, signing up with a taken address gives the
    same page and redirect as a new one, and an email goes to the address's
    owner. But only a new account paid for hashing the password, so the time of
    the answer told whether an address had an account (0.05 s against 0.50 s
    with PBKDF2). A person hiding their use of the site from someone who knows
    their address must not be found out that way.
    """

    def try_save(self, request):
        if self.account_already_exists and self.cleaned_data.get("password1"):
            # The same work a new account does in set_password(); the result is
            # thrown away: nothing about the existing account changes.
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)
