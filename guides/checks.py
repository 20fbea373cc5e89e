from django.core import checks

from .content import ContentError, site_content


@checks.register("content")
def check_guide_content(app_configs=None, **kwargs):
    """Fail `manage.py check` for every problem in guides/content/, naming the file.

    The content is read through site_content(), once per process: the commands that run
    the checks (migrate, load_content, runserver) and the server itself share that load."""
    try:
        site_content()
    except ContentError as error:
        return [
            checks.Error(problem, hint="See docs/content-format.md.", id="guides.E001")
            for problem in error.problems
        ]
    return []


@checks.register("content")
def check_search_synonyms(app_configs=None, **kwargs):
    """Fail `manage.py check` for a synonym list that cannot be read or would find nothing."""
    from .search import synonym_problems

    try:
        content = site_content()
    except ContentError:
        return []  # reported above
    return [
        checks.Error(problem, hint="See the notes at the top of the file.", id="guides.E002")
        for problem in synonym_problems(content)
    ]
