"""Production settings without django-axes: the sign-in flood's baseline for the throttle's cost."""

from .settings import *

AXES_ENABLED = False
