import logging
import traceback

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    """Keep what people write out of error reports, whatever the field is called.

    Django's own filter only hides settings and POST fields whose names look like
    secrets; a journal entry's body would be mailed in full. This filter hides
    every POST value, every frame's local variables and every cookie, in every
    environment (DEBUG included, so a debug page shown on a shared screen is safe).
    """

    def is_active(self, request):
        return True

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {key: self.cleansed_substitute for key in request.POST}

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        for name in ("HTTP_COOKIE", "QUERY_STRING", "HTTP_REFERER"):
            if name in meta:
                meta[name] = self.cleansed_substitute
        return meta

    def get_safe_cookies(self, request):
        return {key: self.cleansed_substitute for key in getattr(request, "COOKIES", {})}


class PrivateExceptionReporter(ExceptionReporter):
    """Error reports without the parts that can hold what a person typed.

    Dropped: query strings (search terms), the signed-in user's email address and
    the exception's message (a database error can quote a row). Kept: the
    exception's type, the path, and the code of every frame.
    """

    def get_traceback_data(self):
        data = super().get_traceback_data()
        data["user_str"] = "[hidden]" if data.get("user_str") else data.get("user_str")
        if "exception_value" in data:
            data["exception_value"] = MESSAGE_WITHHELD
        data.pop("exception_notes", None)
        if self.request is not None:
            data["request_GET_items"] = [
                (key, SafeExceptionReporterFilter.cleansed_substitute) for key in self.request.GET
            ]
            data["request_FILES_items"] = [
                (key, SafeExceptionReporterFilter.cleansed_substitute) for key in self.request.FILES
            ]
            data["request_insecure_uri"] = self.request.path
        return data


MESSAGE_WITHHELD = "(message withheld: it may quote private data)"


class PrivateFormatter(logging.Formatter):
    """Log tracebacks with the code path but without the exception's message."""

    def formatException(self, ei):
        exc_type, _value, tb = ei
        lines = ["Traceback (most recent call last):\n", *traceback.format_tb(tb)]
        lines.append(f"{exc_type.__module__}.{exc_type.__qualname__}: {MESSAGE_WITHHELD}")
        return "".join(lines)
