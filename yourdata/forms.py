from django import forms

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
