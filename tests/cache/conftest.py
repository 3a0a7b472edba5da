import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change's on-commit work (the purge) as a real commit would, inside the test's transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def purged(committed):
    """Collect the tags sent by ``tags_purged`` during the test."""
    from gazette.core.invalidation import tags_purged

    seen: set[str] = set()

    def receiver(sender, tags, **kwargs):
        seen.update(tags)

    tags_purged.connect(receiver, dispatch_uid="tests_cache_purged")
    yield seen
    tags_purged.disconnect(dispatch_uid="tests_cache_purged")
