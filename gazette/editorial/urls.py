from django.urls import path

from . import views

app_name = "gazette_editorial"

urlpatterns = [
    path("pages/<int:page_id>/findings/", views.findings, name="findings"),
    path("findings/<int:pk>/fix/<int:choice>/", views.fix, name="fix"),
    path("findings/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("findings/<int:pk>/add-word/", views.add_word, name="add_word"),
]
