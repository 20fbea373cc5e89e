from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django import forms
from django.utils.translation import gettext_lazy as _

# --- Passkeys (allauth's WebAuthn forms, named and labelled in our words) ------------

PASSKEY_NAME_MAX = 60


class AddPasskeyForm(AddWebAuthnForm):
    """allauth's add form with a bounded name, our labels, and sign-in by passkey on."""

    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=PASSKEY_NAME_MAX,
        help_text=_("Only you see this name, here on this page. Something like “My phone”."),
        error_messages={"max_length": f"Keep the name to {PASSKEY_NAME_MAX} characters or fewer."},
    )
    passwordless = forms.BooleanField(
        label=_("Sign in with this passkey alone, without my password"),
        required=False,
        initial=True,
        help_text=(
            _(
                "The device will ask for your fingerprint, face, PIN or screen lock each time. "
                "Untick this to use the passkey only as a second step after your password."
            )
        ),
    )


class RenamePasskeyForm(EditWebAuthnForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=PASSKEY_NAME_MAX,
        error_messages={
            "required": _("Give the passkey a name, so you can tell it apart from others."),
            "max_length": f"Keep the name to {PASSKEY_NAME_MAX} characters or fewer.",
        },
    )
