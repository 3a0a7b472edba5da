"""Work that follows an article's publication: its picture renditions and 'Updated' date."""

from datetime import timedelta

from django.utils import timezone
from wagtail.models import PageLogEntry
from wagtail.signals import page_published

from .models import ArticlePage
from .tasks import warm_article_renditions

# A story republished this long after it first went out shows an 'Updated' date.
UPDATE_GRACE = timedelta(minutes=30)


def on_article_published(sender, instance, revision=None, **kwargs):
    # The publish log entry is written after this signal, so an existing one means the story
    # was already out before: this publication is an update.
    republished = PageLogEntry.objects.filter(page=instance, action="wagtail.publish").exists()
    first = instance.first_published_at
    if republished and first and timezone.now() - first > UPDATE_GRACE and instance.last_published_at:
        ArticlePage.objects.filter(pk=instance.pk).update(updated_at=instance.last_published_at)
    warm_article_renditions.enqueue(instance.pk)


def connect():
    page_published.connect(on_article_published, sender=ArticlePage, dispatch_uid="articles_published")
