"""Periodic comment jobs, enqueued by ``manage.py run_scheduler`` from ``GAZETTE_SCHEDULE``."""

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
