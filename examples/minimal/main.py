"""The smallest page with Sign in with Veritone: a button, the user's name, a sign-out.

The library tells the page what changed (``auth.on``): signed in, signed out and
why, about to expire, or a response refused. It also watches the session
itself: expiry, other tabs, Back from Veritone and a changed address. The page
keeps no timer of its own, and no click waits on the network: the name comes
over ``fetch``.
"""

from pyscript import document, when

from veritone_auth.browser import BrowserAuth, in_background
from veritone_auth.errors import InvalidToken, VeritoneError
from veritone_auth.session import EXPIRING, REFUSED, SIGNED_IN, SIGNED_OUT, AuthEvent

auth = BrowserAuth.from_config("config.json")

SIGNED_OUT_BECAUSE = {
    "expired": "Your Veritone session has expired. Please sign in again.",
    "revoked": "Veritone no longer accepts your sign-in. Please sign in again.",
    "other_tab": "You signed out in another tab.",
}


def element(id_: str) -> object:
    return document.getElementById(id_)


def show(signed_in: bool, name: str = "", message: str = "") -> None:
    """Signed in (with the name once it is known) or signed out; a message either way, as text."""
    element("name").textContent = f"Signed in as {name}" if signed_in and name else ""
    element("message").textContent = message  # text, never HTML
    element("sign-in").hidden = signed_in
    element("sign-out").hidden = not signed_in
    element("boot-status").hidden = True
    document.body.dataset.auth = "signed-in" if signed_in else "signed-out"


async def greet() -> None:
    try:
        user = await auth.user()
    except InvalidToken:  # refused: the library deleted it, and tells SIGNED_OUT below
        return
    except VeritoneError as error:  # a timeout or a failing API: still signed in
        if auth.token is not None:
            show(True, message=error.message)
        return
    if auth.token is not None:  # not signed out meanwhile
        show(True, user.name)


def changed(event: AuthEvent) -> None:
    if event.kind == SIGNED_IN:
        in_background(greet())  # shown as signed in once the name is known
    elif event.kind == SIGNED_OUT:
        show(False, message=SIGNED_OUT_BECAUSE.get(event.reason or "", ""))
    elif event.kind == EXPIRING:
        element("message").textContent = "Your session ends in a minute: sign in again to keep going."
    elif event.kind == REFUSED and event.error is not None:
        element("message").textContent = event.error.message


@when("click", "#sign-in")
def sign_in(event: object) -> None:
    try:
        auth.sign_in()
    except VeritoneError as error:  # not configured, or storage disabled
        show(False, message=error.message)


@when("click", "#sign-out")
def sign_out(event: object) -> None:
    auth.sign_out()  # signed out here at once; Veritone revokes the token meanwhile


auth.on(changed)
try:
    if auth.start() is None:  # finish the sign-in this page load brought back, if any
        show(False)
except VeritoneError as error:  # a refused response: say why
    show(auth.token is not None, message=error.message)
