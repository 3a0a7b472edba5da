"""The scheduler: due jobs are enqueued once per slot, whatever the number of schedulers."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from gazette.articles.models import ArticlePage
from gazette.core.models import ScheduledJobRun
from gazette.core.scheduler import Job, load_schedule, prune, run_due
from gazette.rates.models import FetchAttempt, RateTable
from tests.factories import make_article

pytestmark = pytest.mark.django_db

FIXTURES_DAY = "XML_daily_2024-03-28_with-VunitRate.xml"


@pytest.fixture
def offline_rates(settings, tmp_path):
    import shutil
    from pathlib import Path

    shutil.copy(Path(__file__).resolve().parents[1] / "fixtures" / "cbr" / FIXTURES_DAY, tmp_path)
    settings.GAZETTE_RATE_SOURCES = {
        "default": {"BACKEND": "gazette.rates.backends.file.FileSource", "PATH": str(tmp_path)}
    }
    settings.GAZETTE_SCHEDULE = [
        {"task": "gazette.core.scheduler.publish_scheduled_pages", "every": 60},
        {"task": "gazette.rates.tasks.fetch_latest_rates", "every": 3600},
    ]
    return settings


@freeze_time("2024-03-27 13:00:30Z")
def test_scheduler_once_runs_the_rates_fetch_and_scheduled_publishing(offline_rates, site):
    article = make_article(title="Ice road opens")
    article.go_live_at = datetime(2024, 3, 27, 12, 0, tzinfo=UTC)
    article.unpublish()
    article.save_revision(approved_go_live_at=article.go_live_at)
    assert not ArticlePage.objects.get(pk=article.pk).live
    out = StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "2 of 2 jobs enqueued." in out.getvalue()
    # The test settings run tasks immediately, so both jobs have done their work.
    assert RateTable.objects.get().in_force_date.isoformat() == "2024-03-28"
    assert FetchAttempt.objects.get().status == "stored"
    assert ArticlePage.objects.get(pk=article.pk).live
    runs = dict(ScheduledJobRun.objects.values_list("job", "slot"))
    assert runs == {
        "gazette.core.scheduler.publish_scheduled_pages": datetime(2024, 3, 27, 13, 0, tzinfo=UTC),
        "gazette.rates.tasks.fetch_latest_rates": datetime(2024, 3, 27, 13, 0, tzinfo=UTC),
    }
    assert all(ScheduledJobRun.objects.values_list("task_result_id", flat=True))


class FakeTask:
    """Counts enqueues (real tasks are frozen dataclasses, which cannot be patched)."""

    def __init__(self, fail=False):
        self.calls, self.fail = 0, fail

    def enqueue(self, *args, **kwargs):
        if self.fail:
            raise RuntimeError("queue down")
        self.calls += 1
        return SimpleNamespace(id=f"result-{self.calls}")


def fake_tasks(**fakes):
    return mock.patch.object(Job, "get_task", lambda job: fakes[job.task_path.rsplit(".", 1)[1]])


def test_two_schedulers_never_enqueue_the_same_slot_twice(offline_rates):
    fetch, publish = FakeTask(), FakeTask()
    with fake_tasks(fetch_latest_rates=fetch, publish_scheduled_pages=publish):
        jobs = load_schedule()
        with freeze_time("2024-03-27 13:00:30Z"):
            first = run_due(jobs)
            second = run_due(load_schedule())  # another process, same moment
        with freeze_time("2024-03-27 13:01:10Z"):  # next minute: only the minutely job is due
            third = run_due(jobs)
            fourth = run_due(jobs)
    assert len(first) == 2 and second == [] and fourth == []
    assert [e.job.name for e in third] == ["gazette.core.scheduler.publish_scheduled_pages"]
    assert fetch.calls == 1 and publish.calls == 2
    assert ScheduledJobRun.objects.count() == 3


def test_a_failed_enqueue_gives_the_slot_back(offline_rates):
    offline_rates.GAZETTE_SCHEDULE = [{"task": "gazette.rates.tasks.fetch_latest_rates", "every": 3600}]
    with fake_tasks(fetch_latest_rates=FakeTask(fail=True)):
        jobs = load_schedule()
        assert run_due(jobs) == []
    assert not ScheduledJobRun.objects.exists()
    working = FakeTask()
    with fake_tasks(fetch_latest_rates=working):
        assert len(run_due(jobs)) == 1
    assert working.calls == 1


def test_slots_and_offsets():
    job = Job(name="daily", task_path="x", every=86400, offset=6 * 3600)
    assert job.slot(datetime(2024, 3, 27, 5, 59, tzinfo=UTC)) == datetime(2024, 3, 26, 6, 0, tzinfo=UTC)
    assert job.slot(datetime(2024, 3, 27, 6, 0, tzinfo=UTC)) == datetime(2024, 3, 27, 6, 0, tzinfo=UTC)
    hourly = Job(name="hourly", task_path="x", every=3600)
    assert hourly.slot(datetime(2024, 3, 27, 13, 59, 59, tzinfo=UTC)) == datetime(2024, 3, 27, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{"task": "gazette.rates.tasks.fetch_latest_rates"}], "needs 'task' and 'every'"),
        ([{"task": "gazette.rates.tasks.nothing_here", "every": 60}], "cannot import"),
        ([{"task": "gazette.rates.services.fetch_rates", "every": 60}], "is not a task"),
        ([{"task": "gazette.rates.tasks.fetch_latest_rates", "every": 60}] * 2, "two jobs named"),
        ([{"task": "gazette.rates.tasks.fetch_latest_rates", "every": 0}], "at least 1 second"),
    ],
)
def test_schedule_mistakes_fail_loudly(entries, message, settings):
    with pytest.raises(ImproperlyConfigured, match=message):
        load_schedule(entries)
    settings.GAZETTE_SCHEDULE = entries
    with pytest.raises(CommandError, match=message):
        call_command("run_scheduler", "--once")


def test_dry_run_lists_the_schedule_and_claims_nothing(offline_rates):
    out = StringIO()
    call_command("run_scheduler", "--dry-run", stdout=out)
    assert "gazette.rates.tasks.fetch_latest_rates: every 3600 s" in out.getvalue()
    assert not ScheduledJobRun.objects.exists()


def test_old_claims_are_pruned(offline_rates):
    now = datetime(2024, 3, 27, 13, 0, tzinfo=UTC)
    ScheduledJobRun.objects.create(job="a", slot=now - timedelta(days=8))
    ScheduledJobRun.objects.create(job="a", slot=now - timedelta(days=1))
    assert prune(now) == 1
    assert ScheduledJobRun.objects.count() == 1
