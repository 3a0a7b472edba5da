"""What Gazette tells editors and operators reads as Russian when Russian is theirs: the
proofing findings (in the editor's findings panel and in ``manage.py proofread``), the import
report of ``manage.py import_wordpress`` and its errors."""

import html
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.users.models import UserProfile

from gazette.users.models import User
from tests.factories import CityFactory, ContributorFactory, ImageFactory, make_article

pytestmark = pytest.mark.django_db

WXR = Path(__file__).resolve().parents[1] / "fixtures" / "wxr"
BODY = [
    ("paragraph", "<p>The secret police reached Banraul. Stalinhad signed the orders himself.</p>"),
    ("quote", {"quote": "The train left Barnaul at dawn.", "attribution": "A guard"}),
]


@pytest.fixture
def troubled(site):
    CityFactory(name="Barnaul", slug="barnaul")
    author = ContributorFactory(name="Elena Kuznetsova", slug="elena-kuznetsova")
    return make_article(title="The secret train", authors=[author], body=BODY, lead_image=ImageFactory(credit=""))


def _editor(language: str) -> User:
    user = User.objects.create_superuser(f"editor-{language}", f"{language}@example.org", "pw")
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def _panel(client, user, page) -> str:
    client.force_login(user)
    response = client.get(f"/admin/editorial/pages/{page.pk}/findings/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_findings_panel_speaks_the_editors_language(client, russian_catalogue, troubled):
    russian = _panel(client, _editor("ru"), troubled)
    assert "«Banraul» нет в справочнике мест; может быть, «Barnaul»?" in russian
    assert "«Stalinhad» похоже на два слова без пробела: «Stalin had»." in russian
    assert "Блок 1 (абзац)" in russian
    assert "Главный снимок" in russian
    assert "is not a place in the gazetteer" not in russian
    # The same version, opened by an editor who works in English, is not shown the Russian findings.
    english = _panel(client, _editor("en"), troubled)
    assert "'Banraul' is not a place in the gazetteer; did you mean 'Barnaul'?" in english
    assert "Body block 1 (paragraph)" in english and "«Banraul»" not in english


def test_proofread_reports_in_russian_on_a_russian_site(russian_site, troubled):
    out = io.StringIO()
    call_command("proofread", "--no-progress", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "предупреждение place [Блок 1 (абзац)]: «Banraul» нет в справочнике мест" in text
    assert "БЛОКИРУЕТ lead_image [Главный снимок]" in text
    assert "Проверена 1 статья: блокирующих замечаний: 1, предупреждений: 2 в 1 статье;" in text
    assert "0 отклонённых предупреждений не показано." in text
    assert "По проверкам: lead_image 1, place 1, run_together 1" in text
    with pytest.raises(CommandError, match="--since — это дата вида 2024-02-20, а не «вчера»"):
        call_command("proofread", "--since", "вчера")


def test_the_import_report_is_russian_on_a_russian_site(russian_site, site):
    out = io.StringIO()
    call_command(
        "import_wordpress", str(WXR / "ghost-migrate_co-authors-plus.xml"), "--no-download", verbosity=0, stdout=out
    )
    text = out.getvalue()
    assert "Импорт из WordPress: https://example.com" in text
    assert "записи (в выгрузке 4): создано 4, обновлено 0, без изменений 0, пропущено 0" in text
    assert "publish (в выгрузке 4): создано 4" in text  # WordPress's own state names stay
    assert "авторы: создано 3" in text
    assert "рубрики и метки, не называющие известный город" in text
    assert "posts (of" not in text and "created" not in text


def test_import_errors_are_russian_on_a_russian_site(russian_site, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text('<?xml version="1.0"?><html><body>Not an export</body></html>')
    with pytest.raises(CommandError) as caught:
        call_command("import_wordpress", str(broken), "--no-download", verbosity=0, stdout=io.StringIO())
    assert str(caught.value) == "Ничего не импортировано: broken.xml — не выгрузка WordPress (корневой элемент <html>)"
    with pytest.raises(CommandError, match="такого|не файл"):
        call_command("import_wordpress", str(tmp_path / "missing.xml"), stdout=io.StringIO())
