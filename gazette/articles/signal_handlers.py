"""Work that follows an article's publication, and the purges that keep cached pages exact.

Every change a reader could see goes through :func:`gazette.core.invalidation.purge_tags`
(the tags an article touches are :func:`gazette.articles.purges.article_tags`):
publishing, editing (a new publication), unpublishing, moving and deleting an article purge
its page, the fronts, its cities' fronts, its contributors' pages, the feeds and sitemaps, for
the old state as well as the new one (a city or byline removed in the edit still lists it);
editing a contributor or a city purges their pages and every article showing their name;
moving a section or changing its slug purges every list linking to the articles below it.
A picture's caption, credit, alt text, focal point or file shows on every article using it (as
its lead picture or in its body, and in the listings, feeds and sitemaps showing that article)
and on the page of a contributor whose photo it is: editing or deleting it purges all of them.

A workflow task approved anywhere (the dashboard's Approve included) that would finish the
workflow, and so publish the article's latest revision, is refused before the approval is
saved when that revision fails a publish check (:func:`refuse_unpublishable_approval`).
"""

from datetime import timedelta

from django.apps import apps
from django.db.models.signals import post_save, pre_delete, pre_save
from django.utils import timezone
from wagtail.models import PageLogEntry, Task, TaskState
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from gazette.cities.models import City
from gazette.core import tags
from gazette.core.invalidation import purge_tags

from .models import ArticlePage, Contributor, PublishRefused
from .publishing import publish_refusals
from .purges import article_tags, articles_tags
from .tasks import warm_article_renditions

# A story republished this long after it first went out shows an 'Updated' date.
UPDATE_GRACE = timedelta(minutes=30)


def previously_published_tags(page: ArticlePage, entry: PageLogEntry | None = None) -> set[str]:
    """The tags of the article as it was last published (its cities and byline then).

    Read from the revision of the latest publish log entry (``entry``, when the caller has it):
    when ``page_published`` fires the new publication's log entry is not written yet, so this
    is the state readers saw.
    """
    if entry is None or entry.revision_id is None:
        entry = _latest_publication(page, with_revision=True)
    if entry is None:
        return set()
    content = entry.revision.content
    slugs = City.objects.filter(pk__in=content.get("cities") or []).values_list("slug", flat=True)
    contributors = {b.get("contributor") for b in content.get("bylines") or [] if isinstance(b, dict)}
    return {tags.city(slug) for slug in slugs} | {tags.contributor(pk) for pk in contributors if pk}


def _latest_publication(page: ArticlePage, with_revision: bool = False) -> PageLogEntry | None:
    entries = PageLogEntry.objects.filter(page=page, action="wagtail.publish")
    if with_revision:
        entries = entries.filter(revision__isnull=False)
    return entries.select_related("revision").order_by("-timestamp", "-pk").first()


def on_article_published(sender, instance, revision=None, **kwargs):
    # The publish log entry is written after this signal, so an existing one means the story
    # was already out before: this publication is an update.
    previous = _latest_publication(instance)
    first = instance.first_published_at
    if previous and first and timezone.now() - first > UPDATE_GRACE and instance.last_published_at:
        ArticlePage.objects.filter(pk=instance.pk).update(updated_at=instance.last_published_at)
    purge_tags(article_tags(instance) | (previously_published_tags(instance, previous) if previous else set()))
    warm_article_renditions.enqueue(instance.pk)


def on_article_removed(sender, instance, **kwargs):
    """Unpublished, moved or about to be deleted: every page that listed it."""
    purge_tags(article_tags(instance.specific))


def on_section_moved(sender, instance, **kwargs):
    """A section moved or given a new slug: every list linking to its articles has old addresses."""
    if isinstance(instance, ArticlePage):
        return  # on_article_removed / on_article_published purge an article's own lists
    purge_tags(articles_tags(ArticlePage.objects.descendant_of(instance)))


def contributor_tags(contributor: Contributor) -> set[str]:
    found = {tags.contributor(contributor.pk)}
    found |= articles_tags(ArticlePage.objects.filter(bylines__contributor=contributor))
    return found


def on_contributor_changed(sender, instance, **kwargs):
    purge_tags(contributor_tags(instance))


def remember_old_city_slug(sender, instance, **kwargs):
    instance._gazette_old_slug = (
        City.objects.filter(pk=instance.pk).values_list("slug", flat=True).first() if instance.pk else None
    )


def on_city_changed(sender, instance, **kwargs):
    """A city's name and slug show on its front, the city lists and its articles."""
    old_slug = getattr(instance, "_gazette_old_slug", None) or instance.slug
    found = {tags.cities(), tags.city(instance.slug), tags.city(old_slug)}
    found |= articles_tags(ArticlePage.objects.filter(cities=instance))
    purge_tags(found)


def refuse_unpublishable_approval(sender, instance, **kwargs):
    """Refuse (:class:`PublishRefused`) the approval of an article's last workflow task when
    the revision Wagtail would then publish fails a publish check; nothing is saved."""
    if instance.status != TaskState.STATUS_APPROVED or instance.pk is None:
        return
    if TaskState.objects.filter(pk=instance.pk, status=TaskState.STATUS_APPROVED).exists():
        return  # already approved: this is a later save of the same state
    workflow_state = instance.workflow_state
    page = workflow_state.content_object
    if not isinstance(page, ArticlePage):
        page = getattr(page, "specific", page)
        if not isinstance(page, ArticlePage):
            return
    later_tasks = (
        Task.objects.filter(workflow_tasks__workflow=workflow_state.workflow, active=True)
        .exclude(task_states__in=workflow_state.successful_task_states)
        .exclude(pk=instance.task_id)
    )
    if later_tasks.exists():
        return  # another task follows: this approval publishes nothing yet
    revision = page.get_latest_revision()
    findings = publish_refusals(revision.as_object() if revision else page)
    if findings:
        raise PublishRefused(page, findings)


def connect():
    for model in apps.get_models():
        if issubclass(model, TaskState):
            pre_save.connect(refuse_unpublishable_approval, sender=model, dispatch_uid=f"articles_approval_{model}")
    page_published.connect(on_article_published, sender=ArticlePage, dispatch_uid="articles_published")
    page_unpublished.connect(on_article_removed, sender=ArticlePage, dispatch_uid="articles_unpublished")
    post_page_move.connect(on_article_removed, sender=ArticlePage, dispatch_uid="articles_moved")
    post_page_move.connect(on_section_moved, dispatch_uid="articles_section_moved")
    page_slug_changed.connect(on_section_moved, dispatch_uid="articles_section_slug_changed")
    pre_delete.connect(on_article_removed, sender=ArticlePage, dispatch_uid="articles_deleted")
    post_save.connect(on_contributor_changed, sender=Contributor, dispatch_uid="articles_contributor_saved")
    pre_delete.connect(on_contributor_changed, sender=Contributor, dispatch_uid="articles_contributor_deleted")
    pre_save.connect(remember_old_city_slug, sender=City, dispatch_uid="articles_city_old_slug")
    post_save.connect(on_city_changed, sender=City, dispatch_uid="articles_city_saved")
    pre_delete.connect(on_city_changed, sender=City, dispatch_uid="articles_city_deleted")
