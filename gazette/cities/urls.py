from django.urls import path

from . import views

app_name = "cities"

urlpatterns = [
    path("cities/", views.city_index, name="index"),
    path("city/<slug:slug>/", views.city_front, name="front"),
    path("edition/", views.choose_edition, name="choose"),
]
