from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "gazette.editorial"
    label = "editorial"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Proofing plugs into publishing: the blocking checks refuse a publication, and the
        findings panel joins the article editor (:mod:`gazette.articles.publishing`)."""
        from gazette.articles.publishing import register_edit_panel, register_publish_check

        from .checks import blocking_findings
        from .panels import FindingsPanel

        register_publish_check(blocking_findings)
        register_edit_panel(FindingsPanel())
