import pytest


@pytest.fixture(autouse=True)
def _forget_addresses_over_the_rate():
    """The rate's counts live in the cache, cleared for every test; the addresses remembered over
    it live in process memory, so each test starts and ends without them too."""
    from gazette.search.limits import over_limit

    over_limit.clear()
    yield
    over_limit.clear()
