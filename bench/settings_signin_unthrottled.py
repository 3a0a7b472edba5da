"""Production settings without django-axes: the sign-in flood's baseline for the throttle's cost."""

from .settings import *  # noqa: F403

AXES_ENABLED = False
