from django.core import checks

from .content import ContentError, load_content


@checks.register("content")
def check_guide_content(app_configs=None, **kwargs):
    """Fail `manage.py check` for every problem in guides/content/, naming the file."""
    try:
        load_content()
    except ContentError as error:
        return [
            checks.Error(problem, hint="See docs/content-format.md.", id="guides.E001")
            for problem in error.problems
        ]
    return []
