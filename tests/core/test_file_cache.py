"""The file-based cache counts its entries once per ``CULL_EVERY`` writes and stays bounded."""

import os

import pytest
from django.conf import settings

from gazette.core.file_cache import FileBasedCache


def file_cache(directory, **options):
    return FileBasedCache(str(directory), {"OPTIONS": options})


def entries(directory) -> int:
    return sum(1 for name in os.listdir(directory) if name.endswith(FileBasedCache.cache_suffix))


@pytest.fixture
def listings(monkeypatch):
    """How many times any file cache listed its directory."""
    calls = []
    original = FileBasedCache._list_cache_files

    def counted(self):
        calls.append(1)
        return original(self)

    monkeypatch.setattr(FileBasedCache, "_list_cache_files", counted)
    return calls


def test_writes_list_the_directory_once_per_cull_every(tmp_path, listings):
    cache = file_cache(tmp_path, MAX_ENTRIES=1_000, CULL_EVERY=25)
    for n in range(500):
        cache.set(f"page-{n}", "x" * 100)
    assert len(listings) == 20
    assert entries(tmp_path) == 500


def test_the_cache_stays_within_its_bound_plus_one_interval(tmp_path):
    cache = file_cache(tmp_path, MAX_ENTRIES=60, CULL_EVERY=10)
    most = 0
    for n in range(600):
        cache.set(f"page-{n}", n)
        most = max(most, entries(tmp_path))
    assert 60 <= most <= 60 + 10
    assert cache.get("page-599") == 599


def test_by_default_the_interval_is_a_hundredth_of_the_bound(tmp_path, listings):
    cache = file_cache(tmp_path, MAX_ENTRIES=5_000)
    for n in range(200):
        cache.set(f"page-{n}", n)
    assert len(listings) == 4


def test_a_new_process_culls_a_full_cache_on_its_first_write(tmp_path):
    filler = file_cache(tmp_path, MAX_ENTRIES=100_000)
    for n in range(90):
        filler.set(f"page-{n}", n)
    cache = file_cache(tmp_path, MAX_ENTRIES=60, CULL_EVERY=50)
    cache.set("one-more", 1)
    assert entries(tmp_path) <= 61


def test_every_file_cache_the_site_configures_is_this_one():
    file_based = [conf for conf in settings.CACHES.values() if "filebased" in conf["BACKEND"].lower()]
    assert all(conf["BACKEND"] == "gazette.core.file_cache.FileBasedCache" for conf in file_based)
