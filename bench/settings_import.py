"""The import benchmark's settings: the test settings (a private temporary directory, no secrets
needed) with production's task queue, so search indexing and the reference index are queued for
the worker, as when a newsroom imports its archive, instead of run inside each save."""

from gazette.settings.test import *

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
