"""make run's stack (bench.settings) with scheduled publishing checked every 5 s instead of every minute.

The supervision test schedules an article after killing the scheduler and waits for the restarted
one to publish it: seconds rather than up to a minute and a half.
"""

from bench.settings import *  # noqa: F403
from bench.settings import GAZETTE_SCHEDULE

GAZETTE_SCHEDULE = [
    {**job, "every": 5} if job["task"].endswith(".publish_scheduled_pages") else job for job in GAZETTE_SCHEDULE
]
