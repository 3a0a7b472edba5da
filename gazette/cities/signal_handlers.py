"""Purging what shows a city when an editor adds, renames, reorders, hides or deletes one."""

from django.db.models.signals import post_delete, post_save, pre_save

from gazette.core import tags
from gazette.core.invalidation import purge_tags

from .models import City
from .services import forget_visible_city_slugs


def remember_old_slug(sender, instance, **kwargs):
    # A renamed slug leaves the old city front cached under the old tag: purge both.
    instance._old_slug = City.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()


def purge_city(sender, instance, **kwargs):
    """The masthead selector and editions page list cities; the front page leads with one."""
    forget_visible_city_slugs()  # this transaction's own requests; the purge reaches the others
    slugs = {instance.slug, getattr(instance, "_old_slug", None)}
    purge_tags({tags.cities(), tags.front(), *(tags.city(slug) for slug in slugs if slug)})


def connect():
    pre_save.connect(remember_old_slug, sender=City, dispatch_uid="cities_old_slug")
    post_save.connect(purge_city, sender=City, dispatch_uid="cities_purge_saved")
    post_delete.connect(purge_city, sender=City, dispatch_uid="cities_purge_deleted")
