"""Admin wiring: the page listing's bulk Publish refuses articles that fail a publish check."""

from django.shortcuts import redirect
from django.utils.translation import gettext
from wagtail import hooks
from wagtail.admin import messages

from .models import ArticlePage
from .publishing import publish_refusals


def _articles_to_publish(objects, include_descendants: bool):
    for page in objects:
        yield page.specific
        if include_descendants:
            yield from page.get_descendants().not_live().type(ArticlePage).specific()


@hooks.register("before_bulk_action")
def refuse_unpublishable_bulk_publish(request, action_type, objects, action_class_instance):
    """Publishing selected pages publishes nothing while one of them fails a publish check
    (:mod:`gazette.articles.publishing`); each such article is named with its reasons."""
    if action_type != "publish":
        return None
    form = getattr(action_class_instance, "cleaned_form", None)
    include_descendants = bool(form and form.cleaned_data.get("include_descendants"))
    refused = False
    for page in _articles_to_publish(objects, include_descendants):
        if not isinstance(page, ArticlePage):
            continue
        revision = page.get_latest_revision()
        findings = publish_refusals(revision.as_object() if revision else page)
        if findings:
            refused = True
            messages.error(
                request,
                gettext("'%(title)s' cannot be published: %(reasons)s")
                % {"title": page.get_admin_display_title(), "reasons": " ".join(f.message for f in findings)},
            )
    if refused:
        return redirect(action_class_instance.next_url)
    return None
