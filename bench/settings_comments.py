"""Test settings for the comment-POST benchmark: production refuses a known CAPTCHA answer.

A benchmark cannot solve a real CAPTCHA, and production settings refuse to start with the test
answer, so comment posts are measured against this test-ish server sharing the run's database.
Rate limits and the "sent too fast" check are off, or wrk would measure the refusal page.
"""

from gazette.settings.test import *

CAPTCHA_TEST_MODE = True
GAZETTE_TEST_CAPTCHA_ANSWER = "PASSED"
GAZETTE_COMMENT_MIN_SECONDS = 0
GAZETTE_COMMENT_RATE_PER_IP = "1000000/m"
GAZETTE_COMMENT_RATE_PER_ARTICLE = "1000000/m"
RATELIMIT_ENABLE = False
DEBUG = False
