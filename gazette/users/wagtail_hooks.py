from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import signin, views


@hooks.register("register_admin_urls")
def register_signin_urls():
    return [
        path("account/two-step/", views.manage, name="gazette_two_factor"),
        path("account/two-step/set-up/", views.setup, name="gazette_two_factor_setup"),
        path("sign-in/verify/", views.verify, name="gazette_two_factor_verify"),
        path("sign-in/lockouts/", views.lockouts, name="gazette_signin_lockouts"),
        path("sign-in/lockouts/<int:pk>/unlock/", views.unlock, name="gazette_signin_unlock"),
    ]


@hooks.register("register_account_menu_item")
def two_step_account_item(request):
    return {
        "url": reverse("gazette_two_factor"),
        "label": _("Two-step sign-in"),
        "help_text": _("Sign in with a code from an authenticator app as well as your password."),
    }


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.UNLOCK_PERMISSION)


@hooks.register("register_settings_menu_item")
def lockouts_menu_item():
    return LockoutsMenuItem(
        _("Sign-in lock-outs"), reverse("gazette_signin_lockouts"), name="signin-lockouts", icon_name="lock", order=650
    )


@hooks.register("register_log_actions")
def register_signin_log_actions(actions):
    actions.register_action(signin.LOCKOUT_ACTION, _("Sign-in locked"), _("Sign-ins locked after repeated failures"))
    actions.register_action(signin.UNLOCK_ACTION, _("Sign-in unlocked"), _("Sign-in lock-out lifted"))
    actions.register_action(views.SETUP_ACTION, _("Two-step sign-in set up"), _("Two-step sign-in set up"))
    actions.register_action(
        views.RECOVERY_CODES_ACTION, _("New recovery codes"), _("New two-step sign-in recovery codes made")
    )
    actions.register_action(views.TURN_OFF_ACTION, _("Two-step sign-in off"), _("Two-step sign-in turned off"))
