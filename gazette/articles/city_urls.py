"""The readers' city pages under the ``cities`` namespace: the editions page and each city's
front (articles listed by city) with the edition chooser of ``gazette.cities``."""

from django.urls import path

from gazette.cities import urls as edition_urls

from . import views

app_name = "cities"

urlpatterns = [
    path("cities/", views.city_index, name="index"),
    path("city/<slug:slug>/", views.city_front, name="front"),
    *edition_urls.urlpatterns,
]
