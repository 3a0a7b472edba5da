"""What the core tests read of a served page: its HTML, or the SQL it ran."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page(client, url) -> str:
    """The page's HTML (it must answer 200)."""
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def queries(client, url) -> list[str]:
    """The SQL of every query serving the page ran (it must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in captured.captured_queries]
