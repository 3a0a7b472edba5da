"""The Russian catalogue is complete, sound and in step with the strings the code marks."""

import re
import shutil
import subprocess

import polib
import pytest
from django.core.management import call_command

from .conftest import CATALOGUE, REPO, catalogue

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-+ #0-9.]*[sdfr]")


def _key(entry):
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def test_every_entry_is_translated():
    po = catalogue()
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    empty_plurals = [e.msgid for e in po if e.msgid_plural and not all(e.msgstr_plural.values())]
    assert not untranslated, f"No Russian yet for: {untranslated}"
    assert not fuzzy, f"Translations marked fuzzy (check and clear the flag): {fuzzy}"
    assert not empty_plurals, f"Plural forms missing for: {empty_plurals}"


def test_russian_has_four_plural_forms_and_uses_all_of_them():
    po = catalogue()
    assert po.metadata["Language"] == "ru"
    assert po.metadata["Plural-Forms"].startswith("nplurals=4;")
    for entry in po:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1, 2, 3], entry.msgid


def test_translations_keep_the_placeholders():
    wrong = []
    for entry in catalogue():
        english = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural or ""))
        for russian in [entry.msgstr, *entry.msgstr_plural.values()]:
            if russian and set(PLACEHOLDER.findall(russian)) - english:
                wrong.append((entry.msgid, russian))
            # Only a plural's "one" form may leave out the number (Russian "one" also covers 21, 31...).
            if russian and not entry.msgid_plural and set(PLACEHOLDER.findall(russian)) != english:
                wrong.append((entry.msgid, russian))
    assert not wrong, wrong


def test_the_catalogue_compiles_without_errors(tmp_path):
    """What ``make compilemessages`` runs: GNU msgfmt with its format checks."""
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext's msgfmt is needed (scripts/install-test-deps.sh installs it)"
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def _source_copy(target):
    """gazette/ with only what makemessages reads: templates, e-mail texts and Python."""

    def ignore(folder, names):
        return [n for n in names if "." in n and not n.endswith((".py", ".html", ".txt"))]

    shutil.copytree(REPO / "gazette", target / "gazette", ignore=ignore)


def test_the_catalogue_has_exactly_the_strings_the_code_marks(tmp_path, settings, monkeypatch):
    """``make messages`` run on a copy of the code would change nothing in the entries' ids."""
    assert shutil.which("xgettext"), "GNU gettext's xgettext is needed (scripts/install-test-deps.sh installs it)"
    _source_copy(tmp_path)
    settings.LOCALE_PATHS = [str(tmp_path / "locale")]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["ru"], no_location=True, no_obsolete=True, verbosity=0)
    fresh = polib.pofile(str(tmp_path / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    marked = {_key(e) for e in fresh}
    kept = {_key(e) for e in catalogue()}
    assert not marked - kept, f"Marked in the code but not in the catalogue (run make messages): {marked - kept}"
    assert not kept - marked, f"In the catalogue but no longer in the code (run make messages): {kept - marked}"


@pytest.mark.parametrize(
    ("msgid", "russian"),
    [("All Cities", "Все города"), ("Choose Your City", "Выберите город"), ("and", "и")],
)
def test_the_words_readers_see_first(msgid, russian):
    assert catalogue().find(msgid).msgstr == russian
