"""The admin's view of the rates fetches: the newest table, the last success, the last error."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .services import fetch_status


class FetchStatusView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Exchange rates")
    header_icon = "table"
    template_name = "rates/admin/fetch_status.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **fetch_status()}


class FetchStatusPanel(Component):
    """A summary on the admin dashboard, so a failing fetch is seen without looking for it."""

    name = "rates_fetch_status"
    order = 150
    template_name = "rates/admin/fetch_status_panel.html"

    def get_context_data(self, parent_context):
        return fetch_status()
