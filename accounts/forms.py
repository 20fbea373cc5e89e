from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .services import DELETE_PHRASE


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=f"To confirm, type “{DELETE_PHRASE}”",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": f"Type “{DELETE_PHRASE}” to confirm, or go back."},
    )

    def clean_confirm(self):
        typed = " ".join(self.cleaned_data["confirm"].split()).lower()
        if typed != DELETE_PHRASE:
            raise forms.ValidationError(
                f"That doesn't match “{DELETE_PHRASE}”, so nothing was deleted. "
                "Type the words exactly to confirm."
            )
        return typed


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
