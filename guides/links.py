"""Links from the guides to pages other apps own, built from URL names only (no imports)."""

from urllib.parse import urlencode

from django.urls import reverse

from .content import Step


def journal_prompt_url(step: Step, prompt: str) -> str:
    """The journal's "new entry" page filled with *prompt*."""
    return f"{reverse('journal:new')}?{urlencode({'prompt': prompt, 'step': step.key})}"
