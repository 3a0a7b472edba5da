"""A picture narrower than the widest layout width names each width once in every srcset."""

import re

import pytest

from gazette.images.templatetags.gazette_images import picture_for
from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("layout", ["lead", "inline", "group"])
def test_each_srcset_names_a_width_once(layout):
    image = ImageFactory()  # 640 px wide: every wider layout width comes back at 640
    html = str(picture_for(image, layout))
    srcsets = re.findall(r'srcset="([^"]+)"', html)
    assert srcsets
    for srcset in srcsets:
        widths = [candidate.rsplit(" ", 1)[1] for candidate in srcset.split(", ")]
        assert len(widths) == len(set(widths)), srcset
        assert "640w" in widths
