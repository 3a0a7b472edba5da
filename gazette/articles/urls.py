from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("contributors/<slug:slug>/", views.contributor_detail, name="contributor"),
]
