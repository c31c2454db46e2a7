"""The page's messages: the error box (``#auth-error``), and the notice for news that is not an error."""

from __future__ import annotations

import time

from veritone_auth.errors import AuthorizationError, InvalidToken, TokenExpired, VeritoneError
from veritone_auth.session import EXPIRED, OTHER_TAB, REVOKED

from . import element, set_text


def show_error(error: VeritoneError) -> None:
    box = element("auth-error")
    box.dataset.error = error.error
    set_text("auth-error-message", error.message)
    description = element("auth-error-description")
    description.textContent = error.description or ""
    # Only a response's description or a config problem is news to the user; the
    # client's own details (HTTP status, exception name) stay out of the message.
    shown = isinstance(error, AuthorizationError) or error.error == "not_configured"
    description.hidden = not (shown and error.description)
    uri = getattr(error, "uri", None)
    element("auth-error-link").hidden = not uri
    if uri:
        element("auth-error-uri").setAttribute("href", uri)
    box.hidden = False


def clear_error() -> None:
    box = element("auth-error")
    box.hidden = True
    box.removeAttribute("data-error")


def show_notice(text: str) -> None:
    set_text("notice", text)
    element("notice").hidden = False


def clear_notice() -> None:
    element("notice").hidden = True


def clear() -> None:
    clear_error()
    clear_notice()


def show_expiring(seconds_left: float) -> None:
    """The session-ending notice, counting down: told each second while it shows."""
    show_notice(
        f"Your Veritone session ends in {max(0, int(seconds_left))} s. Sign in again to keep working."
    )


def show_signed_out_because(reason: str) -> None:
    """Why the session ended, when the user did not sign out here (``AuthEvent.reason``)."""
    if reason == EXPIRED:
        show_error(TokenExpired())
    elif reason == REVOKED:
        show_error(InvalidToken())
    elif reason == OTHER_TAB:
        show_notice("You signed out in another tab of this session, so this tab is signed out too.")


def show_finished_here() -> None:
    show_notice(
        "The page that opened this window had closed or moved on, so the sign-in finished here. "
        "You can go on in this window."
    )


def show_revoke_unconfirmed(expires_at: float) -> None:
    expires = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(expires_at))
    show_notice(
        "Signed out here, but Veritone could not confirm that the token was revoked. "
        f"It stays valid at Veritone until it expires ({expires})."
    )
