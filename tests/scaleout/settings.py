"""Settings for the server and worker processes the scale-out tests start.

The test settings (so nothing reaches the network and static files come from the finders) with
the production task queue: tasks go to the database and ``db_worker`` processes run them.
``DATABASE_URL`` and ``REDIS_URL`` come from the environment, as in production.
"""

from gazette.settings.test import *

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
GAZETTE_PAGE_CACHE = True
GAZETTE_FRAGMENT_CACHE = True
