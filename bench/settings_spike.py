"""Production settings for the spike (``bench/spike.py``): one server for readers and commenters.

A benchmark cannot read a CAPTCHA picture, so this server accepts the known answer "PASSED", as
``bench/settings_comments.py`` does (production refuses it only from the environment), and the
rate limits are lifted: the spike's twenty commenters all post from 127.0.0.1. Everything else,
the three-second "sent too fast" check among it, is production's.
"""

from .settings import *

GAZETTE_TEST_CAPTCHA_ANSWER = "PASSED"
GAZETTE_COMMENT_RATE_PER_IP = "1000000/m"
GAZETTE_COMMENT_RATE_PER_ARTICLE = "1000000/m"
