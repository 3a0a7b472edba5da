"""Production settings for the comment spike (``bench/comment_spike.py``).

Those of the spike with faults (the known CAPTCHA answer, the comment limits lifted), and the
report limit lifted too: the spike's commenters report more often than a person would.
"""

from .settings_spike import *

GAZETTE_COMMENT_REPORT_RATE = "1000000/m"
