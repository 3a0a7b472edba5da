from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The site's user; custom from the first migration so it can grow without pain."""

    class Meta:
        db_table = "users_user"


class SignInLockout(models.Model):
    """A lock on sign-ins from one client address after repeated failures (``username``: the
    account last tried). The counting itself is django-axes's, in the cache; this row lets
    administrators see locks and lift them."""

    username = models.CharField(_("username tried"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"))
    expires_at = models.DateTimeField(_("lock ends"))
    unlocked_at = models.DateTimeField(_("unlocked at"), null=True, blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("unlocked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("sign-in lock-out")
        verbose_name_plural = _("sign-in lock-outs")
        ordering = ["-locked_at"]
        permissions = [("unlock_signin", _("Can lift sign-in lock-outs"))]
        indexes = [models.Index(fields=["ip_address", "expires_at"], name="users_lockout_active")]

    def __str__(self):
        return _("%(username)s from %(address)s") % {
            "username": self.username or _("any account"),
            "address": self.ip_address or _("an unknown address"),
        }

    @property
    def is_active(self) -> bool:
        return self.unlocked_at is None and self.expires_at > timezone.now()
