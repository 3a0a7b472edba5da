import re
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cbr"
CBR = "https://www.cbr.ru/scripts/"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def daily(day: str) -> bytes:
    """The recorded daily table whose file name has ``day`` (YYYY-MM-DD)."""
    (path,) = list(FIXTURES.glob(f"XML_daily*{day}*.xml"))
    return path.read_bytes()


def retimed(content: bytes, new_date: str, scale: dict[str, str] | None = None) -> bytes:
    """A recorded table moved to ``new_date`` (dd.mm.yyyy) with some values replaced:
    ``scale={"USD": "93,0000"}``. Used to build consecutive days from real bytes."""
    content = re.sub(rb'<ValCurs Date="[0-9.]+"', f'<ValCurs Date="{new_date}"'.encode(), content, count=1)
    for code, value in (scale or {}).items():
        pattern = (
            rb"(<CharCode>" + code.encode() + rb"</CharCode>.*?<Value>)[^<]+(</Value>)(<VunitRate>[^<]+</VunitRate>)?"
        )
        content = re.sub(pattern, rb"\g<1>" + value.encode() + rb"\g<2>", content, count=1, flags=re.S)
    return content


@pytest.fixture
def cbr_settings(settings):
    """The bank's HTTP source without pauses between retries (tests never reach the network)."""
    settings.GAZETTE_RATE_SOURCES = {
        "default": {"BACKEND": "gazette.rates.backends.cbr.CBRSource", "BASE_URL": CBR, "RETRIES": 2, "BACKOFF": 0}
    }
    return settings


@pytest.fixture
def table_folder(tmp_path, settings):
    """A file source over a folder holding copies of some recorded daily tables."""

    def make(*days: str):
        for day in days:
            (path,) = list(FIXTURES.glob(f"XML_daily*{day}*.xml"))
            shutil.copy(path, tmp_path / path.name)
        settings.GAZETTE_RATE_SOURCES = {
            "default": {"BACKEND": "gazette.rates.backends.file.FileSource", "PATH": str(tmp_path)}
        }
        return tmp_path

    return make
