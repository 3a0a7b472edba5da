"""Test settings for the comment-POST benchmark: production refuses a known CAPTCHA answer.

A benchmark cannot solve a real CAPTCHA, and production settings refuse to start with the test
answer, so comment posts are measured against this test-ish server sharing the run's database.
Rate limits are off, or wrk would measure the 429 page after the first few posts.
"""

from gazette.settings.test import *  # noqa: F403

CAPTCHA_TEST_MODE = True
RATELIMIT_ENABLE = False
DEBUG = False
