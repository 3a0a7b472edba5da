"""WSGI app and URLconf of the bare-Django yardstick (settings: ``bench.bare_settings``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare_settings"
application = get_wsgi_application()

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

PAYLOAD = settings.PAYLOAD_FILE.read_bytes()


def fixed_bytes(request, **_path):
    return HttpResponse(PAYLOAD, content_type="text/html; charset=utf-8")


urlpatterns = [path("", fixed_bytes), path("<path:any>", fixed_bytes)]
