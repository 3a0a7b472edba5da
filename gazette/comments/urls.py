from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("<int:article_pk>/form/", views.comment_form, name="form"),
    path("report/<int:comment_pk>/", views.report_comment, name="report"),
]
