import pytest


@pytest.fixture(autouse=True)
def _forget_addresses_over_the_rate():
    """The rate's counts live in the cache, cleared for every test; the addresses remembered over
    it live in process memory, so each test starts and ends without them too."""
    from gazette.search.limits import over_limit

    over_limit.clear()
    yield
    over_limit.clear()


@pytest.fixture(autouse=True)
def _indexing(request):
    """Every test here is about search: the search indexes are kept as the site keeps them (this
    replaces the suite's fixture of that name, which turns them off); Wagtail's reference index
    stays off unless a test is marked ``reference_index``."""
    if request.node.get_closest_marker("reference_index") is None:
        request.getfixturevalue("no_reference_indexing")
