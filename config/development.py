"""What `make run` (config.settings.local) adds for development.

- SiteErrorPagesMiddleware: the site's own 404 and 500 pages, quick exit included,
  instead of Django's debug pages, while the debug detail goes to the terminal.
- ConsoleEmailBackend: emails printed as a person reads them, links whole.
"""

import logging
import sys
import threading

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.mail.backends.base import BaseEmailBackend
from django.http import Http404

# Imported by config.settings.local before the apps are ready: pages.views (which needs
# the models) is imported where it is used.

logger = logging.getLogger("django.request")

MIDDLEWARE_PATH = "config.development.SiteErrorPagesMiddleware"


def with_site_error_pages(middleware: list[str]) -> list[str]:
    """Return *middleware* with SiteErrorPagesMiddleware inside the CSRF and session ones.

    Inside them, the page it renders gets its CSRF cookie and security headers on the
    way out like any other page.
    """
    middleware = [name for name in middleware if name != MIDDLEWARE_PATH]
    after = next(
        (i for i, name in enumerate(middleware) if name.endswith("CsrfViewMiddleware")),
        len(middleware) - 1,
    )
    middleware.insert(after + 1, MIDDLEWARE_PATH)
    return middleware


class SiteErrorPagesMiddleware:
    """Show the site's own error pages under DEBUG, as people see them in production.

    With DEBUG on, Django answers a mistyped address with its URL list and an error
    with its traceback page: neither has the quick exit, and they are not what anyone
    using the site would see. Here a 404 is the site's 404 page and a 500 the site's
    500 page; the traceback is still logged to the terminal by Django (django.request)
    before this replaces the page, with the code path and no private values
    (config.reporting.PrivateFormatter).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from pages import views

        response = self.get_response(request)
        if not settings.DEBUG:
            return response
        if response.status_code == 500:
            page = views.server_error(request)
            page._has_been_logged = True  # Django logged the traceback with the first one
            return page
        # No view ran (the address matched nothing): Django's URL list, replaced.
        if getattr(request, "resolver_match", None) is None and response.status_code in (400, 404):
            handler = views.page_not_found if response.status_code == 404 else views.bad_request
            return handler(request)
        return response

    def process_exception(self, request, exception):
        """A view's Http404 or bad request gets the site's page, not Django's debug one."""
        from pages import views

        if not settings.DEBUG:
            return None
        if isinstance(exception, Http404):
            return views.page_not_found(request, exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            logger.warning("Bad request: %s (%s)", request.path, type(exception).__name__)
            return views.bad_request(request, exception)
        return None


class ConsoleEmailBackend(BaseEmailBackend):
    """Print each email as a person would read it, for `make run`.

    Django's console backend prints the raw MIME message: its plain text is
    quoted-printable, so a long link is cut with "=" at the end of the line (a
    confirmation link copied from it is a 404) and any non-ASCII letter shows as
    =E2=80=99. Here the headers are decoded and each text part is printed as text,
    every line and link whole; an HTML alternative or an attachment is named with
    its size.
    """

    def __init__(self, fail_silently=False, *, stream=None, **kwargs):
        # As Django 6.1's own console backend: fail_silently is this backend's to keep
        # (BaseEmailBackend no longer takes it), the rest (the mailer's alias) goes up.
        super().__init__(**kwargs)
        self.fail_silently = fail_silently
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        sent = 0
        with self._lock:
            try:
                for message in email_messages:
                    self.stream.write(self.format(message))
                    self.stream.flush()
                    sent += 1
            except Exception:
                if not self.fail_silently:
                    raise
        return sent

    @staticmethod
    def format(message) -> str:
        mime = message.message()
        lines = [
            f"{name}: {mime[name]}"
            for name in ("Subject", "From", "To", "Cc", "Date")
            if mime[name]
        ]
        lines.append("")
        for part in mime.walk():
            if part.is_multipart():
                continue
            kind = part.get_content_type()
            filename = part.get_filename()
            if kind == "text/plain" and not filename:
                lines.append(part.get_content().rstrip("\n"))
                lines.append("")
            else:
                size = len(part.get_payload(decode=True) or b"")
                name = f" {filename}" if filename else ""
                lines.append(f"[{kind}{name}, {size:,} bytes, not shown]")
        lines.append("-" * 79)
        return "\n".join(lines) + "\n"
