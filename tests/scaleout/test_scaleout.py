"""Scale-out, for real: several server and worker processes sharing PostgreSQL and Redis."""

import subprocess
import sys

import httpx
import pytest

from gazette.core.models import MastheadSettings
from tests.factories import make_article, site_tree

from .conftest import ROOT

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _get(url):
    # Behind the load balancer every server sees the site's own host name.
    response = httpx.get(url, timeout=20, headers={"Host": "news.example.org"})
    assert response.status_code == 200
    return response


def test_two_servers_share_the_page_cache_and_its_invalidations(scaleout_env, start_server):
    home, _news, _privacy = site_tree()
    MastheadSettings.for_site(home.get_site())
    page = make_article(title="Ferry season ends early", lead_image=False)
    a, b = start_server(), start_server()

    first = _get(a + page.url)
    assert first.headers["X-Cache"] == "MISS" and "Ferry season ends early" in first.text
    # B answers from the entry A stored: one cache for every process.
    assert _get(b + page.url).headers["X-Cache"] == "HIT"

    # An editor publishes a change (the real purge path: publish -> purge_tags -> tags_purged
    # -> stamps in the shared Redis).
    page.title = "Ferry season extended"
    page.save_revision().publish()
    on_b = _get(b + page.url)
    assert on_b.headers["X-Cache"] == "MISS" and "Ferry season extended" in on_b.text
    on_a = _get(a + page.url)
    assert on_a.headers["X-Cache"] == "HIT" and "Ferry season extended" in on_a.text


def test_several_workers_run_each_job_exactly_once(scaleout_env, tmp_path):
    record = tmp_path / "runs.txt"
    jobs = 30

    # Enqueued by a process with the production queue settings (this one runs tasks inline).
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from tests.scaleout.tasks import record_run\n"
            f"for n in range({jobs}): record_run.enqueue(n, {str(record)!r})",
        ],
        cwd=ROOT,
        env=scaleout_env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--batch",
                "--queue-name",
                "*",
                "--no-startup-delay",
                "-v",
                "0",
            ],
            cwd=ROOT,
            env=scaleout_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err

    runs = [line.split() for line in record.read_text().splitlines()]
    numbers = sorted(int(n) for n, _pid in runs)
    assert numbers == list(range(jobs)), "a job ran twice or never"
    assert len({pid for _n, pid in runs}) >= 2, "the jobs were not shared between workers"

    from django_tasks_db.models import DBTaskResult

    results = DBTaskResult.objects.filter(task_path="tests.scaleout.tasks.record_run")
    assert results.count() == jobs and all(r.status == "SUCCESSFUL" for r in results)
