from django.urls import include, path

from . import views

urlpatterns = [
    path("t/tagged/", views.tagged),
    path("t/untagged/", views.untagged),
    path("t/cookie/", views.sets_cookie),
    path("t/form-error/", views.form_error),
    path("t/edition/", views.per_edition),
    path("t/public/", views.public_not_page_cached),
    path("t/gzipped/", views.tagged_gzipped),
    path("", include("gazette.urls")),
]
