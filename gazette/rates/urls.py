from django.urls import path

from . import views

app_name = "rates"

urlpatterns = [
    path("rates/", views.rates_table, name="table"),
    path("rates/<str:code>/", views.currency_history, name="currency"),
    path("rates/<str:code>/history.csv", views.currency_history_csv, name="currency-csv"),
    path("rates/<str:code>/history.json", views.currency_history_json, name="currency-json"),
]
