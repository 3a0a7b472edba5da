from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import FetchStatusPanel, FetchStatusView


@hooks.register("register_admin_urls")
def register_rates_admin_urls():
    return [path("rates/status/", FetchStatusView.as_view(), name="rates_fetch_status")]


@hooks.register("register_reports_menu_item")
def register_rates_report():
    return MenuItem(
        _("Exchange rates"), reverse("rates_fetch_status"), name="exchange-rates", icon_name="table", order=900
    )


@hooks.register("construct_homepage_panels")
def add_rates_panel(request, panels):
    panels.append(FetchStatusPanel())
