"""Production settings, with collected static files in the run's private var directory.

The benchmark and the reader-experience budget serve Gazette exactly as production does; only
``STATIC_ROOT`` moves (into ``GAZETTE_VAR_DIR``) so a run never touches the checkout's ``static/``.
"""

from gazette.settings.production import *

STATIC_ROOT = VAR_DIR / "static"
# The page-editor benchmark signs a robot in with a password; a second step would stop it at the
# set-up screen (as `make run` does for the demo, docs/deploy.md "Security").
GAZETTE_REQUIRE_2FA = False
