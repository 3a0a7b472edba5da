"""The Russian site of tests/i18n (its compiled catalogue and LANGUAGE_CODE 'ru') for the demo tests."""

from tests.i18n.conftest import compiled_locale, russian_catalogue, russian_site  # noqa: F401 - fixtures
