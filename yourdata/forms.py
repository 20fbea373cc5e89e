from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from .services import DELETE_PHRASE


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=format_lazy(gettext_lazy("To confirm, type “{phrase}”"), phrase=DELETE_PHRASE),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": format_lazy(
                gettext_lazy("Type “{phrase}” to confirm, or go back."), phrase=DELETE_PHRASE
            )
        },
    )

    def clean_confirm(self):
        typed = " ".join(self.cleaned_data["confirm"].split()).lower()
        if typed != DELETE_PHRASE:
            raise forms.ValidationError(
                gettext(
                    "That doesn't match “%(phrase)s”, so nothing was deleted. "
                    "Type the words exactly to confirm."
                )
                % {"phrase": DELETE_PHRASE}
            )
        return typed
