"""make run's stack (bench.settings) with one scheduled job: publishing, checked every 5 s instead of every minute.

The supervision test schedules an article after killing the scheduler and waits for the restarted
one to publish it: seconds rather than up to a minute and a half. The other jobs are left out: the
first of the day's comment-scorer retrains builds the base model (half a minute to a minute and a
half of work), which a restarted background worker would run before the publishing job.
"""

from bench.settings import *  # noqa: F403
from bench.settings import GAZETTE_SCHEDULE

GAZETTE_SCHEDULE = [{**job, "every": 5} for job in GAZETTE_SCHEDULE if job["task"].endswith(".publish_scheduled_pages")]
