"""Who is signed in: ``body[data-auth]``, the sign-in buttons, the profile and the setup card."""

from __future__ import annotations

from js import document, window

from veritone_auth.api import User

from . import element, set_text

BOOTING, SIGNED_OUT, SIGNED_IN = "booting", "signed-out", "signed-in"


def show_state(state: str) -> None:
    document.body.dataset.auth = state
    # A User Timing mark, the same in every engine: what the cross-engine numbers read.
    window.performance.mark(f"auth:{state}")


def enable_sign_in(enabled: bool) -> None:
    for id_ in ("sign-in", "sign-in-popup"):
        element(id_).disabled = not enabled


def show_profile_loading() -> None:
    set_text("profile-name", "…")
    set_text("profile-org", "…")


def show_profile(user: User) -> None:
    set_text("profile-name", user.name or "(no name)")
    set_text("profile-org", user.organization or "(no organization)")
    window.performance.mark("profile")


def show_profile_failed() -> None:
    set_text("profile-name", "(could not be loaded)")
    set_text("profile-org", "(could not be loaded)")


def focus_signed_in() -> None:
    element("signed-in-title").focus()


def focus_sign_in() -> None:
    element("sign-in").focus()


def show_setup(redirect_uri: str) -> None:
    element("setup").hidden = False
    element("setup-redirect-uri").value = redirect_uri


def show_environment(label: str) -> None:
    set_text("environment-label", f"Signing in to: {label}")


def show_popup_answered(refused: bool) -> None:
    """This popup answered the sign-in in its opener's tab (the opener had reloaded)."""
    if refused:  # this window says why, and where to start again
        set_text("notice", "Close this window and sign in again from the page you started from.")
        element("notice").hidden = False
        show_state(SIGNED_OUT)
        return
    set_text("boot-status", "Signed in. Back to the page you started from…")


async def copy_redirect_uri(_event: object = None) -> None:
    await window.navigator.clipboard.writeText(element("setup-redirect-uri").value)
    set_text("setup-copy", "Copied")
