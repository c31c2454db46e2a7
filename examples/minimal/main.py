"""The smallest page with Sign in with Veritone: a button, the user's name, a sign-out.

The library tells the page what changed (``auth.on``): signed in, signed out and
why, or about to expire. The page keeps no timer of its own, and no click waits
on the network: the name comes over ``fetch``.
"""

from pyscript import document, when

from veritone_auth.browser import BrowserAuth, in_background
from veritone_auth.errors import VeritoneError
from veritone_auth.flow import EXPIRING, SIGNED_IN, SIGNED_OUT, AuthEvent

auth = BrowserAuth.from_config("config.json")

SIGNED_OUT_BECAUSE = {
    "expired": "Your Veritone session has expired. Please sign in again.",
    "revoked": "Veritone no longer accepts your sign-in. Please sign in again.",
    "other_tab": "You signed out in another tab.",
}


def element(id_: str) -> object:
    return document.getElementById(id_)


def show(name: str = "", message: str = "") -> None:
    element("name").textContent = f"Signed in as {name}" if name else ""
    element("message").textContent = message  # text, never HTML
    element("sign-in").hidden = bool(name)
    element("sign-out").hidden = not name
    element("boot-status").hidden = True
    document.body.dataset.auth = "signed-in" if name else "signed-out"


async def greet() -> None:
    try:
        user = await auth.user()
    except VeritoneError as error:  # e.g. the token was revoked: deleted, and told below
        show(message=error.message)
        return
    if auth.token is not None:  # not signed out meanwhile
        show(user.name)


def changed(event: AuthEvent) -> None:
    if event.kind == SIGNED_IN:
        in_background(greet())
    elif event.kind == SIGNED_OUT:
        show(message=SIGNED_OUT_BECAUSE.get(event.reason or "", ""))
    elif event.kind == EXPIRING:
        element("message").textContent = "Your session ends in a minute: sign in again to keep going."


@when("click", "#sign-in")
def sign_in(event: object) -> None:
    try:
        auth.sign_in()
    except VeritoneError as error:  # not configured, or storage disabled
        show(message=error.message)


@when("click", "#sign-out")
def sign_out(event: object) -> None:
    auth.sign_out()  # signed out here at once; Veritone revokes the token meanwhile


auth.on(changed)
try:
    if auth.start() is None:  # finish the sign-in this page load brought back, if any
        show()
except VeritoneError as error:  # a refused response: say why
    show(message=error.message)
