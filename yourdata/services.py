from __future__ import annotations

import logging

from django.contrib.auth import logout
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string

from accounts.models import User
from core import discreet as discreet_mode

from .parts import parts

logger = logging.getLogger(__name__)

DELETE_PHRASE = "delete my account"


def account_delete(*, request: HttpRequest, user: User) -> None:
    """Delete *user* and everything that belongs to them, in one transaction.

    Each app's part erases what it holds (yourdata.parts: its rows, and the cache
    entries and temporary files derived from them; each part's erase() says what),
    then the user row goes, taking anything the parts left with it through
    on_delete=CASCADE. The current session is flushed by the sign-out.

    An archive being made (yourdata.tasks) goes with the person's jobs (jobs'
    part): its worker finds the job gone at its next report, and drops the zip.
    """
    address = user.email
    plain = discreet_mode.is_discreet(request)  # asked before the account (and its flag) goes
    with transaction.atomic():
        for part in parts():
            part.erase(user)
        user.delete()
        transaction.on_commit(lambda: _send_goodbye(address, discreet=plain))
    logout(request)
    logger.info("An account was deleted at its owner's request.")


def _send_goodbye(address: str, *, discreet: bool = False) -> None:
    """A short, neutral note: it names nothing the person wrote or did here.

    The words are templates/account/email/account_deleted_*.txt, with a plain subject
    like allauth's account emails (accounts.adapters), and in discreet mode the same
    sender and site name as theirs ("Notes").
    """
    context = {"discreet": discreet}
    subject = render_to_string("account/email/account_deleted_subject.txt", context).strip()
    message = EmailMessage(
        subject=subject,
        body=render_to_string("account/email/account_deleted_message.txt", context).strip() + "\n",
        from_email=discreet_mode.sender(discreet),
        to=[address],
    )
    try:
        message.send()
    except OSError:
        logger.warning("The account-deleted email could not be sent.")
