# The browser fixtures (Debian's Chromium through Playwright) live with the browser tests.
from tests.browser.conftest import browser, page  # noqa: F401
