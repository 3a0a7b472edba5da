"""The comment pipeline, shared by the form view, the moderation queue, commands and tasks.

1. :func:`submit_comment` scores a new comment (:func:`assess`), stores it exactly once (the
   form's one-time token is unique in the database) and records the decision in its history.
2. :func:`assess` applies the site's and the article's pre-moderation rules and the scores:
   a clear spam score sends a comment to *spam* (kept, visible to moderators: nothing is
   deleted unseen); any reason to doubt sends it to *pending*; otherwise it is *published*.
   Every reason is stored as a record (``{"code": "links", "count": 3}``) that
   :func:`describe_reason` says in the moderator's language (``3 links``, ``offensive
   language: 0.97``, ``first comment from this person``, ``looks like promotion``).
3. :func:`moderate` (:func:`apply_action`, which also returns what changed) applies a
   moderator's decision: the status history records who decided what and when, the spam
   classifier learns from it, the article's cached HTML is purged when what it shows changes,
   and a commenter who left an e-mail is told when the comment appears. :func:`undo` puts
   comments back as an action found them.
4. Binned comments (spam, rejected) stay restorable for at least 30 days
   (:func:`purge_binned`); :func:`export_commenter` and :func:`erase_commenter` serve the
   admin's commenter page and the ``commenter_data`` command, and write Wagtail's audit log.

Returning commenters are recognised by :func:`gazette.comments.identity.commenter_key` (a keyed
HMAC of the normalised address), never by the raw address.
"""

import ipaddress
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from gazette.core import tags
from gazette.core.invalidation import purge_tags

from . import classifier, scoring
from .choices import CommentStatus
from .identity import commenter_key
from .models import ArticleCommentSettings, CommentReport, CommentSettings, CommentStatusChange, ReaderComment

logger = logging.getLogger(__name__)

APPROVE, REJECT, SPAM, RESTORE, ALLOW_LINKS = "approve", "reject", "spam", "restore", "allow_links"
ACTIONS = {
    APPROVE: CommentStatus.PUBLISHED,
    REJECT: CommentStatus.REJECTED,
    SPAM: CommentStatus.SPAM,
    RESTORE: CommentStatus.PENDING,
}
# Binned: out of sight of readers, kept in the Spam view for moderators (see purge_binned).
BINNED = (CommentStatus.SPAM, CommentStatus.REJECTED)
MIN_BIN_RETENTION_DAYS = 30


class CommentRefused(Exception):
    """The comment cannot be accepted; ``str(exc)`` is the message for the reader."""


class DuplicateSubmission(CommentRefused):
    pass


class CommentsClosed(CommentRefused):
    pass


@dataclass
class Rules:
    """The pre-moderation rules in force for one article (site rules plus the article's own)."""

    hold_all: bool = False
    first_time_threshold: int = 1
    hold_links: bool = True
    hold_after_days: int = 30
    close_after_days: int = 0
    closed_by_hand: bool = False
    article_hold_all: bool = False
    per_page: int = 50


@dataclass
class Assessment:
    status: str
    scores: dict = field(default_factory=dict)
    reasons: list[dict] = field(default_factory=list)
    model_version: str = ""


def _setting(name: str, default):
    return getattr(settings, name, default)


def rules_for(article, site=None, site_rules=None) -> Rules:
    site = site or article.get_site()
    if site_rules is None:
        site_rules = CommentSettings.for_site(site) if site else CommentSettings()
    # An article found by its address knows whether it has rules of its own (``HomePage.route``).
    own = (
        ArticleCommentSettings.objects.filter(page_id=article.pk).first()
        if getattr(article, "has_own_comment_rules", True)
        else None
    )
    rules = Rules(
        hold_all=site_rules.hold_all,
        first_time_threshold=site_rules.first_time_threshold,
        hold_links=site_rules.hold_links,
        hold_after_days=site_rules.hold_after_days,
        close_after_days=site_rules.close_after_days,
        per_page=max(1, site_rules.per_page),
    )
    if own:
        rules.closed_by_hand = own.closed
        rules.article_hold_all = own.hold_all
        rules.hold_links = rules.hold_links or own.hold_links
        if own.close_after_days is not None:
            rules.close_after_days = own.close_after_days
    return rules


def _article_age_days(article, now: datetime) -> float:
    published = article.first_published_at or now
    return (now - published).total_seconds() / 86400


def closed_message(article, rules: Rules, now: datetime | None = None) -> str:
    """Why new comments are refused on ``article`` ('' when they are welcome)."""
    now = now or timezone.now()
    if rules.closed_by_hand:
        return gettext("Comments on this article are closed.")
    if rules.close_after_days and _article_age_days(article, now) > rules.close_after_days:
        n = rules.close_after_days
        return ngettext(
            "Comments close %(days)s day after an article is published.",
            "Comments close %(days)s days after an article is published.",
            n,
        ) % {"days": n}
    return ""


def closes_at(article, rules: Rules) -> datetime | None:
    """When comments on ``article`` close by themselves (N days after publication), if they will."""
    if rules.closed_by_hand or not rules.close_after_days or article.first_published_at is None:
        return None
    # closed_message refuses once the age is more than N days: the first second after that.
    return article.first_published_at + timedelta(days=rules.close_after_days, seconds=1)


# Why a comment was held or binned: each reason is stored as ``{"code": ..., **details}`` so the
# queue can filter on it and say it in the moderator's language (:func:`describe_reason`).
FIRST_TIME, FEW_APPROVED, LINKS, OLD_ARTICLE = "first_time", "few_approved", "links", "old_article"
PROMOTION, OFFENSIVE, SPAM_SCORE = "promotion", "offensive", "spam"
HOLD_ALL, ARTICLE_HOLD_ALL = "hold_all", "article_hold_all"
REPORTED = "reported"
# The site's own thresholds publish nothing: its moderators' decisions do not vouch for the scores.
SCORES_UNPROVEN = "scores_unproven"
# The queue's "reason held" filter: its choices and the reason codes each one matches.
REASON_FILTERS = {
    "first": (_("First-time commenter"), (FIRST_TIME, FEW_APPROVED)),
    "links": (_("Contains a link"), (LINKS,)),
    "old": (_("Old story"), (OLD_ARTICLE,)),
    "spam": (_("Spam score"), (SPAM_SCORE,)),
    "offensive": (_("Abusive words"), (OFFENSIVE,)),
    "unproven": (_("Scores not yet proven on this site"), (SCORES_UNPROVEN,)),
    "promotion": (_("Looks like promotion"), (PROMOTION,)),
    "premoderated": (_("Everything pre-moderated"), (HOLD_ALL, ARTICLE_HOLD_ALL)),
    "reported": (_("Reported by readers"), (REPORTED,)),
}


def reason_codes(reasons: list[dict]) -> str:
    """The codes of ``reasons`` as stored for filtering: `` links first_time `` (space-delimited)."""
    codes = [r.get("code", "") for r in reasons if isinstance(r, dict)]
    return f" {' '.join(codes)} " if codes else ""


def score_text(value) -> str:
    """A score as the moderator reads it: two decimals, in the active language's format."""
    return floatformat(value, 2)


def describe_reason(reason: dict) -> str:
    """One stored reason in the moderator's words (translated), e.g. ``3 links``."""
    code = reason.get("code")
    if code == HOLD_ALL:
        return gettext("all comments are pre-moderated")
    if code == ARTICLE_HOLD_ALL:
        return gettext("this article's comments are pre-moderated")
    if code == OLD_ARTICLE:
        return gettext("article older than %(days)s days") % {"days": reason.get("days", 0)}
    if code == FIRST_TIME:
        return gettext("first comment from this person")
    if code == FEW_APPROVED:
        n = reason.get("approved", 0)
        return ngettext(
            "only %(count)s approved comment from this person", "only %(count)s approved comments from this person", n
        ) % {"count": n}
    if code == LINKS:
        n = reason.get("count", 0)
        return ngettext("%(count)s link", "%(count)s links", n) % {"count": n}
    if code == PROMOTION:
        return gettext("looks like promotion")
    if code == OFFENSIVE:
        return _with_limit(
            reason, gettext("offensive language: %(score)s") % {"score": score_text(reason.get("score", 0))}
        )
    if code == SPAM_SCORE:
        if reason.get("returning"):
            return _with_limit(
                reason,
                gettext("looks like spam from a returning commenter: %(score)s")
                % {"score": score_text(reason.get("score", 0))},
            )
        return _with_limit(
            reason, gettext("looks like spam: %(score)s") % {"score": score_text(reason.get("score", 0))}
        )
    if code == SCORES_UNPROVEN:
        n = reason.get("decisions", 0)
        return ngettext(
            "the scores publish nothing on this site yet: its moderators' %(count)s decision does not show "
            "them right often enough",
            "the scores publish nothing on this site yet: its moderators' %(count)s decisions do not show "
            "them right often enough",
            n,
        ) % {"count": n}
    if code == REPORTED:
        n = reason.get("count", 0)
        return ngettext("reported by %(count)s reader", "reported by %(count)s readers", n) % {"count": n}
    return str(reason.get("text") or code or "")


SHAPE_TOKENS = {
    "__link__": _("a link"),
    "__email__": _("an e-mail address"),
    "__phone__": _("a phone number"),
    "__shouting__": _("capital letters"),
    "__exclamations__": _("exclamation marks"),
    "__promotion__": _("promotional phrases"),
    "__short__": _("a very short text"),
}


def describe_token(token: str) -> str:
    """A scorer feature as a moderator reads it (shape markers in words).

    Reasons stored before the current scorer may name a link's domain (``__domain:example.com``).
    """
    if token.startswith("__domain:"):
        return token.removeprefix("__domain:")
    return str(SHAPE_TOKENS.get(token, token))


def reason_words(reason: dict) -> list[str]:
    """The words that drove a reason (spam tokens, abusive words, promotional phrases)."""
    if reason.get("code") == SPAM_SCORE:
        return [describe_token(t) for t in reason.get("words", [])]
    return list(reason.get("words") or reason.get("signals") or [])


def _with_limit(reason: dict, text: str) -> str:
    """A score reason and, when the site's own thresholds decided, the threshold the score met."""
    if reason.get("limit") is None:
        return text
    return gettext("%(reason)s (this site's threshold from its moderators' decisions: %(limit)s)") % {
        "reason": text,
        "limit": score_text(reason["limit"]),
    }


def describe_reasons(reasons: list[dict]) -> list[str]:
    return [describe_reason(r) for r in reasons if isinstance(r, dict)]


def approved_count(author_hash: str) -> int:
    """How many comments of the commenter with this fingerprint are published."""
    if not author_hash:
        return 0
    return ReaderComment.objects.filter(email_hash=author_hash, status=CommentStatus.PUBLISHED).count()


def decide(body: str, *, approved: int, rules: Rules, article_age_days: float = 0.0, text_scores=None) -> Assessment:
    """The decision for ``body`` from its content scores and the rules, reading nothing else.

    Trust (``approved`` at least the first-time threshold) lowers the bar only for ordinary
    comments: it lifts the first-time hold. It never publishes what the content scores call
    spam or abuse: a returning commenter's spam is held, or binned when the score is certain,
    like anyone's, and the reason says the commenter was a returning one. Binned (status spam,
    restorable): a certain spam score, or a certain abuse score from the scorer (the word list
    alone holds). ``text_scores``
    (:class:`classifier.TextScores`) are used when given instead of scoring ``body`` again.
    The thresholds are the ones the scoring model carries (chosen on this site's decisions at
    its last retraining, see ``classifier.choose_thresholds``), else the settings; a score
    reason decided by a threshold chosen on the site's decisions records the one it met
    (``limit``).
    """
    text = text_scores or classifier.assess_text(body)
    links = scoring.count_links(body)
    lexicon = scoring.offensive_words(body)
    offensive = max(text.abuse, scoring.offensive_score(body))
    scores = {"spam": text.spam, "offensive": offensive, "links": links}
    promotion = scoring.looks_like_promotion(body, links)
    trusted = approved >= max(1, rules.first_time_threshold)
    spam_reason = {"code": SPAM_SCORE, "score": text.spam, "words": text.spam_words}
    offensive_reason = {
        "code": OFFENSIVE,
        "score": offensive,
        "words": list(dict.fromkeys([*lexicon, *text.abuse_words]))[:5],
    }
    if trusted:
        spam_reason["returning"] = True
    limits = text.thresholds or classifier.Thresholds.from_settings()
    spam_certain = text.spam >= limits.bin_spam
    # Binning abuse needs the model's calibrated certainty; a word-list match alone only holds.
    abuse_certain = text.abuse >= limits.bin_abuse
    if limits.from_site:
        # The moderator sees which of this site's thresholds the score met; a hold threshold the
        # settings gave (its decisions did not show them wrong) is not called the site's.
        if spam_certain or limits.holds_from_site:
            spam_reason["limit"] = limits.bin_spam if spam_certain else limits.hold_spam
        if abuse_certain or limits.holds_from_site:
            offensive_reason["limit"] = limits.bin_abuse if abuse_certain else limits.hold_abuse
    if spam_certain or abuse_certain:
        reasons = [spam_reason] if spam_certain else [offensive_reason]
        if links:
            reasons.append({"code": LINKS, "count": links})
        if promotion:
            reasons.append({"code": PROMOTION, "signals": scoring.promotion_signals(body)})
        return Assessment(CommentStatus.SPAM, scores, reasons, text.version)

    reasons = []
    if rules.hold_all:
        reasons.append({"code": HOLD_ALL})
    if rules.article_hold_all:
        reasons.append({"code": ARTICLE_HOLD_ALL})
    if rules.hold_after_days and article_age_days > rules.hold_after_days:
        reasons.append({"code": OLD_ARTICLE, "days": rules.hold_after_days})
    if rules.first_time_threshold:
        if approved == 0:
            reasons.append({"code": FIRST_TIME})
        elif approved < rules.first_time_threshold:
            reasons.append({"code": FEW_APPROVED, "approved": approved})
    if links and rules.hold_links:
        reasons.append({"code": LINKS, "count": links})
    if promotion:
        reasons.append({"code": PROMOTION, "signals": scoring.promotion_signals(body)})
    if limits.publish_nothing:
        # Any score meets a threshold of 0: say why the comment waits rather than call a friendly
        # comment spam, and name a score only where the settings would hold it too.
        reasons.append({"code": SCORES_UNPROVEN, "decisions": limits.decisions})
        spam_reason.pop("limit", None)
        offensive_reason.pop("limit", None)
        limits = limits.naming_scores()
    if offensive >= limits.hold_abuse:
        reasons.append(offensive_reason)
    if text.spam >= limits.hold_spam:
        reasons.append(spam_reason)
    return Assessment(CommentStatus.PENDING if reasons else CommentStatus.PUBLISHED, scores, reasons, text.version)


def assess(article, *, body: str, author_hash: str, rules: Rules, now: datetime | None = None) -> Assessment:
    """Decide a new comment's status and say why (:func:`decide`, with the commenter's record and the article's age).

    A spam reason carries the words that pushed the spam score up (``words``), an offensive one
    the abusive words, promotion the phrases found, so the moderator sees what drove each.
    """
    now = now or timezone.now()
    return decide(
        body, approved=approved_count(author_hash), rules=rules, article_age_days=_article_age_days(article, now)
    )


def _record(comment: ReaderComment, old: str, new: str, user=None, note: str = "") -> None:
    CommentStatusChange.objects.create(
        comment=comment,
        old_status=old,
        new_status=new,
        user=user,
        user_name=(user.get_username() if user else ""),
        note=note[:500],
    )


def submit_comment(
    article,
    *,
    name: str,
    body: str,
    location: str = "",
    email: str = "",
    ip: str | None = None,
    form_token: str | None = None,
    site=None,
    parent: ReaderComment | None = None,
) -> ReaderComment:
    """Score and store a reader's comment once; raises :class:`CommentRefused` with a reader's message.

    A reply (``parent``, a published comment on the same article, see :func:`reply_parent`) goes
    through the same assessment as any comment.
    """
    rules = rules_for(article, site)
    message = closed_message(article, rules)
    if message:
        raise CommentsClosed(message)
    if form_token and ReaderComment.objects.filter(form_token=form_token).exists():
        raise DuplicateSubmission(gettext("This form was already sent; your comment is stored once."))
    author_hash = commenter_key(email)
    result = assess(article, body=body, author_hash=author_hash, rules=rules)
    now = timezone.now()
    comment = ReaderComment(
        article=article,
        author_name=name,
        author_location=location,
        author_email=email,
        email_hash=author_hash,
        body=body,
        status=result.status,
        scores=result.scores,
        reasons=result.reasons,
        reason_codes=reason_codes(result.reasons),
        model_version=result.model_version,
        ip_address=ip or None,
        form_token=form_token or None,
        parent=parent,
        created_at=now,
        published_at=now if result.status == CommentStatus.PUBLISHED else None,
    )
    try:
        with transaction.atomic():
            comment.save()
            note = "; ".join(describe_reasons(result.reasons)) or "no reason to hold"
            _record(comment, "", comment.status, note=note)
            if comment.status == CommentStatus.PUBLISHED:
                purge_tags({tags.article(article.pk)})
    except IntegrityError as err:
        if form_token and ReaderComment.objects.filter(form_token=form_token).exists():
            raise DuplicateSubmission(gettext("This form was already sent; your comment is stored once.")) from err
        raise
    return comment


@dataclass
class Change:
    """What one moderator action changed on one comment, enough to put it back (:func:`undo`)."""

    pk: int
    old_status: str
    new_status: str
    old_links_allowed: bool
    new_links_allowed: bool


def _set_status(comment: ReaderComment, new: str, user, note: str = "") -> None:
    """Move a locked ``comment`` to ``new``: learn, stamp, record; the caller saves nothing else."""
    old = comment.status
    first_publication = new == CommentStatus.PUBLISHED and comment.published_at is None
    comment.status = new
    comment.moderated_at = timezone.now()
    comment.moderated_by = user
    if first_publication:
        comment.published_at = comment.moderated_at
    # The scorer learns from this decision at its next retraining (classifier.site_decisions).
    comment.save(update_fields=["status", "moderated_at", "moderated_by", "published_at"])
    _record(comment, old, new, user, note=note)
    if first_publication and comment.author_email:
        transaction.on_commit(lambda c=comment: notify_published(c))


def apply_action(comments: Iterable[ReaderComment], action: str, user) -> list[Change]:
    """Apply a moderator's ``action`` to ``comments``; returns what changed (for an undo).

    ``restore`` puts a binned comment back in the queue (pending); the others are
    :data:`ACTIONS` and ``allow_links``.
    """
    changes = []
    purge = set()
    for comment in comments:
        with transaction.atomic():
            comment = ReaderComment.objects.select_for_update().get(pk=comment.pk)
            old, old_links = comment.status, comment.links_allowed
            if action == ALLOW_LINKS:
                if comment.links_allowed:
                    continue
                comment.links_allowed = True
                comment.save(update_fields=["links_allowed"])
                _record(comment, comment.status, comment.status, user, note="links allowed")
            else:
                new = ACTIONS[action]
                if old == new:
                    continue
                _set_status(comment, new, user)
            if CommentStatus.PUBLISHED in (old, comment.status):
                purge.add(comment.article_id)
            changes.append(Change(comment.pk, old, comment.status, old_links, comment.links_allowed))
    if purge:
        purge_tags({tags.article(pk) for pk in purge})
    return changes


def moderate(comments: Iterable[ReaderComment], action: str, user) -> int:
    """Apply a moderator's ``action`` to ``comments``; returns how many changed."""
    return len(apply_action(comments, action, user))


def undo(changes: Iterable[Change], user) -> int:
    """Put each comment back as it was before ``changes``; returns how many were put back.

    A comment someone changed again since (its status or links differ from what the action
    left) is left alone: the later decision wins.
    """
    restored = 0
    purge = set()
    for change in changes:
        with transaction.atomic():
            comment = ReaderComment.objects.select_for_update().filter(pk=change.pk).first()
            if comment is None or (comment.status, comment.links_allowed) != (
                change.new_status,
                change.new_links_allowed,
            ):
                continue
            if comment.links_allowed != change.old_links_allowed:
                comment.links_allowed = change.old_links_allowed
                comment.save(update_fields=["links_allowed"])
                _record(comment, comment.status, comment.status, user, note="undone: links allowed")
            if comment.status != change.old_status:
                _set_status(comment, change.old_status, user, note="undone")
            if CommentStatus.PUBLISHED in (change.old_status, change.new_status):
                purge.add(comment.article_id)
            restored += 1
    if purge:
        purge_tags({tags.article(pk) for pk in purge})
    return restored


def bin_retention_days() -> int:
    """How long a binned (spam or rejected) comment is kept: the setting, never under 30 days."""
    return max(MIN_BIN_RETENTION_DAYS, int(_setting("GAZETTE_COMMENT_BIN_RETENTION_DAYS", MIN_BIN_RETENTION_DAYS)))


def purge_binned(*, dry_run: bool = False, now: datetime | None = None) -> int:
    """Delete comments binned (spam or rejected) longer ago than :func:`bin_retention_days`.

    The time counts from the last decision (a moderator's, or the pipeline's on arrival), so
    every binned comment stays in the Spam view, restorable, for at least the retention period.
    Returns how many were (or, with ``dry_run``, would be) deleted.
    """
    cutoff = (now or timezone.now()) - timedelta(days=bin_retention_days())
    due = ReaderComment.objects.filter(status__in=BINNED).filter(
        Q(moderated_at__lt=cutoff) | Q(moderated_at=None, created_at__lt=cutoff)
    )
    if dry_run:
        return due.count()
    _total, by_model = due.delete()
    return by_model.get(ReaderComment._meta.label, 0)


def notify_published(comment: ReaderComment) -> None:
    """Tell the commenter that their comment now appears (they left an address for that)."""
    article = comment.article
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + (article.url or "") + "#comments"
    body = render_to_string("comments/email/published.txt", {"comment": comment, "article": article, "url": url})
    try:
        subject = gettext("Your comment on “%(title)s” is published") % {"title": article.title}
        send_mail(subject, body, None, [comment.author_email])
    except OSError:
        logger.exception("Could not send the publication notice for comment %s", comment.pk)


def moderators():
    """Active users with an address who may moderate comments."""
    perm = Permission.objects.get(content_type__app_label="comments", codename="moderate_readercomment")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(is_superuser=True) | Q(groups__permissions=perm) | Q(user_permissions=perm))
        .distinct()
    )


def send_moderation_digest() -> int:
    """E-mail moderators the pending comments (nothing when the queue is empty); returns recipients."""
    pending = ReaderComment.objects.pending().select_related("article").order_by("created_at")
    count = pending.count()
    if not count:
        return 0
    recipients = list(moderators().values_list("email", flat=True))
    if not recipients:
        return 0
    url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("comments_moderation:index")
    body = render_to_string(
        "comments/email/digest.txt", {"count": count, "comments": pending[:25], "url": url, "shown": min(count, 25)}
    )
    subject = ngettext("%(count)s comment awaiting moderation", "%(count)s comments awaiting moderation", count) % {
        "count": count
    }
    send_mail(subject, body, None, recipients)
    return len(recipients)


def truncate_ip(ip: str) -> str:
    """Keep the network, drop the host: IPv4 to its /24, IPv6 to its /48."""
    address = ipaddress.ip_address(ip)
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def truncate_old_ips(*, dry_run: bool = False, now: datetime | None = None) -> int:
    """Truncate the IP addresses of comments older than the retention period; returns how many."""
    days = _setting("GAZETTE_COMMENT_IP_RETENTION_DAYS", 30)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    due = ReaderComment.objects.filter(created_at__lt=cutoff, ip_truncated=False).exclude(ip_address=None)
    if dry_run:
        return due.count()
    n = 0
    for pk, ip in due.values_list("pk", "ip_address").iterator():
        ReaderComment.objects.filter(pk=pk).update(ip_address=truncate_ip(ip), ip_truncated=True)
        n += 1
    return n


EXPORT_ACTION = "comments.export_commenter_data"
ERASE_ACTION = "comments.erase_commenter_data"


def commenter_comments(email: str):
    """Every comment of the commenter with ``email`` (by its fingerprint or the address itself)."""
    return ReaderComment.objects.filter(Q(email_hash=commenter_key(email)) | Q(author_email__iexact=email.strip()))


def commenter_email(fingerprint: str) -> str:
    """The address behind a :func:`~gazette.comments.identity.commenter_key` fingerprint, from the
    commenter's latest comment ('' if none)."""
    if not fingerprint:
        return ""
    return (
        ReaderComment.objects.filter(email_hash=fingerprint)
        .exclude(author_email="")
        .order_by("-created_at", "-pk")
        .values_list("author_email", flat=True)
        .first()
        or ""
    )


def _audit(comments, action: str, user, email: str, n: int, **kwargs) -> None:
    """Record in Wagtail's audit log, against the commenter's latest comment, that ``action`` was done.

    The entry names the commenter by a short fingerprint, never by the address, so an erasure
    leaves no personal data behind in the log.
    """
    latest = comments.order_by("-created_at", "-pk").first()
    if latest is None:
        return
    fingerprint = commenter_key(email)[:12]
    log(
        latest,
        action,
        user=user,
        title=gettext("Commenter %(fingerprint)s") % {"fingerprint": fingerprint},
        data={"commenter": fingerprint, "comments": n},
        **kwargs,
    )


def export_commenter(email: str, *, user=None) -> dict:
    """Everything stored about the commenter with ``email``, as JSON-ready data.

    The export is written to Wagtail's audit log (by ``user``, or the system for a command).
    """
    comments = commenter_comments(email).select_related("article").prefetch_related("history")
    data = {
        "email": email.strip(),
        "comments": [
            {
                "id": c.pk,
                "article": c.article.title,
                "article_url": c.article.url,
                "name": c.author_name,
                "location": c.author_location,
                "email": c.author_email,
                "text": c.body,
                "status": c.status,
                "created_at": c.created_at.isoformat(),
                "published_at": c.published_at.isoformat() if c.published_at else None,
                "ip_address": c.ip_address,
                "in_reply_to": c.parent_id,
                "scores": c.scores,
                "reasons": describe_reasons(c.reasons),
                "history": [
                    {"at": h.at.isoformat(), "from": h.old_status, "to": h.new_status, "by": h.user_name}
                    for h in c.history.all()
                ],
            }
            for c in comments
        ],
    }
    _audit(commenter_comments(email), EXPORT_ACTION, user, email, len(data["comments"]))
    return data


def erase_commenter(email: str, *, dry_run: bool = False, user=None) -> int:
    """Delete every comment (and its history) of the commenter with ``email``; returns how many.

    The erasure is written to Wagtail's audit log first (by ``user``, or the system for a command).
    """
    comments = commenter_comments(email)
    n = comments.count()
    if dry_run or not n:
        return n
    with transaction.atomic():
        _audit(comments, ERASE_ACTION, user, email, n, deleted=True)
        articles = set(comments.filter(status=CommentStatus.PUBLISHED).values_list("article_id", flat=True))
        comments.delete()
        purge_tags({tags.article(pk) for pk in articles})
    return n


# Replies --------------------------------------------------------------------------------------


def reply_parent(article_pk: int, value) -> ReaderComment | None:
    """The comment a reader answers, from the form's ``reply_to`` value ('' or None: no reply).

    Raises :class:`CommentRefused` with the reader's message when ``value`` is not a number, is
    not a comment on the article ``article_pk``, or names a comment that is not published (held,
    binned, gone).
    """
    value = str(value or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,18}", value):
        raise CommentRefused(gettext("This reply link is not valid. You can still comment on the article."))
    parent = ReaderComment.objects.filter(pk=int(value), article_id=article_pk).first()
    if parent is None:
        raise CommentRefused(
            gettext("The comment you want to reply to is not on this article. You can still comment on the article.")
        )
    if parent.status != CommentStatus.PUBLISHED:
        raise CommentRefused(
            gettext(
                "The comment you want to reply to is no longer shown. Your text is kept: send it as a comment on "
                "the article."
            )
        )
    return parent


def top_level(published):
    """Of ``published`` comments, those shown at the first level: conversations' first comments,
    and replies whose conversation's first comment is no longer shown."""
    return published.filter(TOP_LEVEL)


# See top_level; also a filter for counting them in the same query as all comments.
TOP_LEVEL = Q(thread__isnull=True) | ~Q(thread__status=CommentStatus.PUBLISHED)


def page_of(comment: ReaderComment, per_page: int) -> int:
    """The page (from 1) of the article's comments that shows ``comment`` (published)."""
    first = comment
    if comment.thread_id:
        root = ReaderComment.objects.filter(pk=comment.thread_id, status=CommentStatus.PUBLISHED).first()
        first = root or comment
    before = (
        top_level(ReaderComment.objects.published().filter(article_id=comment.article_id))
        .filter(Q(created_at__lt=first.created_at) | Q(created_at=first.created_at, pk__lt=first.pk))
        .count()
    )
    return before // max(1, per_page) + 1


# Readers' reports -----------------------------------------------------------------------------


class ReportRefused(Exception):
    """The report cannot be taken; ``str(exc)`` is the message for the reader."""


def reporter_hash(ip: str | None) -> str:
    """Who reported, as a salted fingerprint of their address ('' when there is none)."""
    if not ip:
        return ""
    return salted_hmac("gazette.comments.reporter", ip, algorithm="sha256").hexdigest()


def reports_to_hold(article, site=None) -> int:
    site = site or article.get_site()
    return (CommentSettings.for_site(site) if site else CommentSettings()).reports_to_hold


def report_comment(comment: ReaderComment, *, reason: str, text: str = "", ip: str | None = None, site=None) -> bool:
    """Record a reader's report of a published ``comment``; True if it sent the comment back to moderation.

    One report per reader (by :func:`reporter_hash`) and comment: a second one is refused. Once
    the site's ``reports_to_hold`` different readers reported it, the comment is held (status
    pending, reason ``reported``), leaves the page and waits in the queue with its reports.
    """
    reporter = reporter_hash(ip)
    with transaction.atomic():
        comment = ReaderComment.objects.select_for_update().get(pk=comment.pk)
        if comment.status != CommentStatus.PUBLISHED:
            raise ReportRefused(gettext("This comment is no longer shown; thank you all the same."))
        if reporter and CommentReport.objects.filter(comment=comment, reporter=reporter).exists():
            raise ReportRefused(gettext("You have already reported this comment. A moderator will look at it."))
        CommentReport.objects.create(comment=comment, reason=reason, text=text, reporter=reporter)
        needed = reports_to_hold(comment.article, site)
        if not needed or _open_reports(comment) < needed:
            return False
        comment.status = CommentStatus.PENDING
        # The reasons it was once held for were settled when it was published: only the reports count now.
        comment.reasons = [{"code": REPORTED, "count": _open_reports(comment)}]
        comment.reason_codes = reason_codes(comment.reasons)
        comment.save(update_fields=["status", "reasons", "reason_codes"])
        _record(comment, CommentStatus.PUBLISHED, CommentStatus.PENDING, note="reported by readers")
        purge_tags({tags.article(comment.article_id)})
    return True


def _open_reports(comment: ReaderComment) -> int:
    """How many readers reported ``comment`` since a moderator last decided on it."""
    reports = comment.reports.exclude(reporter="")
    if comment.moderated_at:
        reports = reports.filter(created_at__gt=comment.moderated_at)
    return reports.values("reporter").distinct().count()


def report_summary(comment: ReaderComment) -> list[dict]:
    """A comment's reports for the moderator: ``[{"reason": label, "count": n, "texts": [...]}]``, largest first."""
    groups: dict[str, dict] = {}
    for report in comment.reports.all():
        group = groups.setdefault(report.reason, {"reason": report.get_reason_display(), "count": 0, "texts": []})
        group["count"] += 1
        if report.text:
            group["texts"].append(report.text)
    return sorted(groups.values(), key=lambda g: -g["count"])


def forget_old_reporters(*, dry_run: bool = False, now: datetime | None = None) -> int:
    """Blank the reporter fingerprints older than the address retention period; returns how many."""
    days = _setting("GAZETTE_COMMENT_IP_RETENTION_DAYS", 30)
    cutoff = (now or timezone.now()) - timedelta(days=days)
    due = CommentReport.objects.filter(created_at__lt=cutoff).exclude(reporter="")
    return due.count() if dry_run else due.update(reporter="")


# What the commenter is told about their own comments ---------------------------------------------

HELD, SHOWN, NOT_PUBLISHED = "held", "published", "not_published"


def commenter_outcome(comment: ReaderComment) -> str:
    """What the commenter is told about ``comment``: published, held, or not published.

    A comment the filter binned on arrival is *held* to its author, as one waiting in the queue:
    both stay with the moderators, who may still publish it, and the filter's verdict is not
    told to whoever wrote it. After a moderator's decision against it, it is *not published*.
    """
    if comment.status == CommentStatus.PUBLISHED:
        return SHOWN
    if comment.status == CommentStatus.PENDING or comment.moderated_at is None:
        return HELD
    return NOT_PUBLISHED
