"""Signing in counts as the fresh password check that sensitive pages ask for.

allauth only counts an explicit "confirm it's you" step, so someone who had just
typed their password was asked for it again on the first export or deletion page
(measured: the journal export asked right after sign-in). Marking the sign-in's
own record as a check makes one sitting ask at most once: at sign-in, or when a
sensitive page is opened ACCOUNT_REAUTHENTICATION_TIMEOUT after the last check.
"""

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in, dispatch_uid="accounts.sign_in_counts_as_a_fresh_check")
def sign_in_counts_as_a_fresh_check(sender, request, user, **kwargs) -> None:
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if not records:
        return
    # The last record is the step that completed the sign-in: the password, the
    # second step after it, or a passkey on its own.
    records[-1] = {**records[-1], "reauthenticated": True}
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records
