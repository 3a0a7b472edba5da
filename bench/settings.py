"""Production settings, with collected static files in the run's private var directory.

The benchmark and the reader-experience budget serve Gazette exactly as production does; only
``STATIC_ROOT`` moves (into ``GAZETTE_VAR_DIR``) so a run never touches the checkout's ``static/``.
"""

from gazette.settings.production import *

STATIC_ROOT = VAR_DIR / "static"
