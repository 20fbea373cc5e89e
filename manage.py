#!/usr/bin/env python
"""Django's command-line utility for administrative tasks.

Without DJANGO_SETTINGS_MODULE it runs the development settings (`make run`:
DEBUG on, SQLite in .local/), unless the environment looks like production (see
config/settings/guard.py): then it stops and says which settings to name.
"""

import os
import sys


def main():
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        from config.settings.guard import production_variables, refusal

        found = production_variables(os.environ)
        if found:
            sys.exit(refusal(found))
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
