"""Admin wiring: the panel's views, and checking an article whenever an editor saves it."""

from django.urls import include, path
from wagtail import hooks

from . import urls
from .services import proofread_page


@hooks.register("register_admin_urls")
def register_editorial_urls():
    return [path("editorial/", include(urls, namespace="gazette_editorial"))]


def _check_article(request, page):
    from gazette.articles.models import ArticlePage

    if isinstance(page, ArticlePage):
        proofread_page(page)


# Both hooks run after the revision is saved, for a draft save, a submission and a publication
# alike; the page object carries what the editor just saved (including unsaved bylines).
hooks.register("after_create_page", _check_article)
hooks.register("after_edit_page", _check_article)
