"""The edition chooser's address; served under the ``cities`` namespace with the city fronts
(``gazette.articles.city_urls``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("edition/", views.choose_edition, name="choose"),
]
