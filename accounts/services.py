import logging

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import logout
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from boundaries.pdf import forget_all as forget_plan_pdfs

from .crypto import forget_user_keys

logger = logging.getLogger(__name__)

DELETE_PHRASE = "delete my account"


def account_delete(*, request, user) -> None:
    """Delete *user* and everything that belongs to them, in one transaction.

    Rows that point at the user (journal entries, drafts, plans and their
    versions, progress, self-checks, email addresses, MFA authenticators, the
    user's wrapped data key) go with the user through on_delete=CASCADE; the
    unwrapped copy this process keeps is dropped. Sessions do not
    point at users, so every session allauth knows for them is ended explicitly,
    from the database and the cache; the current one is flushed by the sign-out.
    """
    address = user.email
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    session_keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    with transaction.atomic():
        for key in session_keys:
            store(session_key=key).delete()
        forget_user_keys(user)
        forget_plan_pdfs(user)  # the encrypted PDFs cached for up to a day
        user.delete()
        transaction.on_commit(lambda: _send_goodbye(address))
    logout(request)
    logger.info("An account was deleted at its owner's request.")


def _send_goodbye(address: str) -> None:
    """A short, neutral note: it names nothing the person wrote or did here.

    The words are templates/account/email/account_deleted_*.txt, in the voice and
    with the subject prefix of allauth's account emails.
    """
    subject = render_to_string("account/email/account_deleted_subject.txt").strip()
    message = EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string("account/email/account_deleted_message.txt").strip() + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    try:
        message.send()
    except OSError:
        logger.warning("The account-deleted email could not be sent.")
