"""allauth's sign-up and two-step forms, changed where sign-in security needs it.

The sign-up form costs the same whether or not the address has an account; the
two-step form counts wrong codes per known browser. Wired in through
ACCOUNT_FORMS and MFA_FORMS (config/settings/base.py), as allauth documents.
"""

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context, ratelimit
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import discreet as discreet_mode

from .devices import known_device


class SignupForm(AllauthSignupForm):
    """Hash the password whether or not the address already has an account.

    With ACCOUNT_PREVENT_ENUMERATION, signing up with a taken address gives the
    same page and redirect as a new one, and an email goes to the address's
    owner. But only a new account paid for hashing the password, so the time of
    the answer told whether an address had an account (0.05 s against 0.50 s
    with PBKDF2). A person hiding their use of the site from someone who knows
    their address must not be found out that way.
    """

    discreet = forms.BooleanField(
        required=False,
        label=_("Discreet mode"),
        help_text=_(
            "Tabs, history and our emails say “Notes”, not the site's name, and downloads "
            "are named “notes” and the date. You can turn it off in your account."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Already on in this browser (turned on before signing up): keep it ticked.
        self.fields["discreet"].initial = discreet_mode.is_discreet(context.request)

    def try_save(self, request):
        if self.cleaned_data.get("discreet"):
            # The pages from here on (the "check your email" page, an email to an
            # address that has an account already) are plain too; the adapter
            # remembers it in this browser (accounts.adapters).
            request.discreet_chosen = True
            request._discreet = True
        if self.account_already_exists and self.cleaned_data.get("password1"):
            # The same work a new account does in set_password(); the result is
            # thrown away: nothing about the existing account changes.
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)


class MFAAuthenticateForm(AuthenticateForm):
    """allauth's two-step sign-in form, with wrong codes counted per known browser.

    allauth counts wrong codes per account, across every browser. Someone who
    knows the password (a partner, say) could then keep the account's owner out
    of the second step by typing wrong codes. As with passwords
    (accounts.adapters), a browser that has completed a sign-in for this
    account counts its own wrong codes; other browsers share the account's count.
    The code check itself is allauth's, unchanged.
    """

    def clean_code(self) -> str:
        request = context.request
        key = f"mfa-auth-user-{self.user.pk}"
        device = known_device(request, self.user.email)
        if device:
            key = f"{key}:device:{device}"
        if not ratelimit.consume(request, action="login_failed", key=key):
            raise ValidationError(TWO_STEP_PAUSED, code="too_many_login_attempts")
        code = self.cleaned_data["code"]
        main_authenticator = None
        for authenticator in Authenticator.objects.filter(user=self.user).exclude(
            type=Authenticator.Type.WEBAUTHN  # passkeys don't take typed codes
        ):
            if not main_authenticator or authenticator.type == Authenticator.Type.TOTP:
                main_authenticator = authenticator
            if authenticator.wrap().validate_code(code):
                authenticator.user = self.user
                self.authenticator = authenticator
                ratelimit.clear(request, action="login_failed", key=key)
                return code
        if main_authenticator:
            self._emit_authentication_failed(main_authenticator)
        raise get_mfa_adapter().validation_error("incorrect_code")


TWO_STEP_PAUSED = (
    "Two-step sign-in is paused for a few minutes after too many codes that didn't "
    "match. Try again in a few minutes, or from a browser you've signed in with before."
)
