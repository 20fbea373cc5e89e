import logging
import sys

from django.core import mail
from django.test import RequestFactory
from django.utils.log import AdminEmailHandler

from config.reporting import PrivateFormatter

CANARY = "CANARY-journal-text-7f3a"


def make_exception():
    secret_local = CANARY  # noqa: F841 (a local variable the report must not show)
    try:
        raise ValueError(f"could not save {CANARY}")
    except ValueError:
        return sys.exc_info()


def test_error_mails_carry_no_form_bodies_query_strings_variables_or_messages(settings, db):
    settings.ADMINS = ["admin@example.org"]
    request = RequestFactory().post(f"/journal/new/?q={CANARY}", {"body": CANARY, "title": CANARY})
    request.user = type("U", (), {"is_authenticated": True, "__str__": lambda s: CANARY})()
    handler = AdminEmailHandler(include_html=True)
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
        (request.path,), make_exception(),
    )  # fmt: skip
    record.request = request
    handler.emit(record)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    everything = (
        message.subject
        + message.body
        + "".join(str(part[0]) for part in getattr(message, "alternatives", []))
    )
    assert CANARY not in everything
    assert "ValueError" in everything


def test_logged_tracebacks_keep_the_code_path_but_not_the_message():
    formatter = PrivateFormatter("%(message)s")
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), make_exception())
    text = formatter.format(record)
    assert "make_exception" in text and "ValueError" in text
    assert CANARY not in text
