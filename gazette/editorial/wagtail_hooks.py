"""Admin wiring: the findings panel's views.

Nothing runs when an editor saves an article: the panel asks for the findings of the latest
version once the editor has loaded, and they are computed once per version of the content
(:func:`gazette.editorial.services.current_findings`).
"""

from django.urls import include, path
from wagtail import hooks

from . import urls


@hooks.register("register_admin_urls")
def register_editorial_urls():
    return [path("editorial/", include(urls, namespace="gazette_editorial"))]
