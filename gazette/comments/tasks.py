"""Periodic comment jobs, enqueued by ``manage.py run_scheduler`` from ``GAZETTE_SCHEDULE``."""

from datetime import timedelta

from django_tasks import task

from . import services


@task()
def send_moderation_digest() -> int:
    """E-mail moderators what waits in the queue; returns how many were written to."""
    return services.send_moderation_digest()


@task()
def truncate_comment_ips() -> int:
    """Truncate commenters' IP addresses and blank reporters' fingerprints older than
    ``GAZETTE_COMMENT_IP_RETENTION_DAYS``; returns how many of both."""
    return services.truncate_old_ips() + services.forget_old_reporters()


@task()
def purge_binned_comments() -> int:
    """Delete spam and rejected comments older than ``GAZETTE_COMMENT_BIN_RETENTION_DAYS`` (>= 30)."""
    return services.purge_binned()


@task()
def retrain_comment_classifier() -> str:
    """Retrain the comment scorer on the site's decisions; the new model is used only if not worse.

    Returns the version in force and its thresholds (hold spam/abuse, bin spam/abuse), for the task log.
    """
    from . import classifier

    result = classifier.retrain()
    t = result.thresholds
    limits = f"{t.hold_spam:g}/{t.hold_abuse:g}/{t.bin_spam:g}/{t.bin_abuse:g}"
    return f"{result.version} {'current' if result.swapped else 'kept ' + result.previous} thresholds {limits}"


RETRAIN_CUT_OFF_AFTER = timedelta(hours=1)  # a retraining takes minutes


def retrain_runs() -> dict:
    """The worker's record of the retraining task: whether one waits or runs, and the last that
    finished (when, and its outcome or error). Empty where tasks are not stored (run at once)."""
    from django.conf import settings

    if "django_tasks_db" not in settings.INSTALLED_APPS:
        return {}
    from django.db.models import Q
    from django.utils import timezone
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    runs = DBTaskResult.objects.filter(task_path=retrain_comment_classifier.module_path)
    # A run started long ago and never finished was cut off (a worker killed mid-run): it waits no more.
    waiting = runs.filter(
        Q(status=TaskResultStatus.READY)
        | Q(status=TaskResultStatus.RUNNING, started_at__gte=timezone.now() - RETRAIN_CUT_OFF_AFTER)
    ).exists()
    last = runs.filter(finished_at__isnull=False).order_by("-finished_at").first()
    return {
        "waiting": waiting,
        "last_finished_at": last.finished_at if last else None,
        "last_failed": bool(last and last.status == TaskResultStatus.FAILED),
        "last_error": last.exception_class_path.rsplit(".", 1)[-1] if last and last.exception_class_path else "",
    }


def next_scheduled_retrain(now=None):
    """When ``GAZETTE_SCHEDULE`` next has the worker retrain (None: only on demand)."""
    from django.utils import timezone

    from gazette.core.scheduler import load_schedule

    now = now or timezone.now()
    slots = [
        job.slot(now) + timedelta(seconds=job.every)
        for job in load_schedule()
        if job.task_path == retrain_comment_classifier.module_path
    ]
    return min(slots, default=None)
