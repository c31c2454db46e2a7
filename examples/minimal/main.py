"""The smallest page with Sign in with Veritone: a button, the user's name, a sign-out."""

from pyscript import document, when

from veritone_auth.browser import BrowserAuth
from veritone_auth.errors import VeritoneError

auth = BrowserAuth.from_config("config.json")


def show(message: str = "") -> None:
    try:
        name = auth.call(lambda api: api.me())["me"]["name"] if auth.token else ""
    except VeritoneError as error:  # e.g. the token was revoked: it is deleted, signed out
        name, message = "", error.message
    document.getElementById("name").textContent = f"Signed in as {name}" if name else ""
    document.getElementById("message").textContent = message  # text, never HTML
    document.getElementById("sign-in").hidden = bool(name)
    document.getElementById("sign-out").hidden = not name
    document.getElementById("boot-status").hidden = True
    document.body.dataset.auth = "signed-in" if name else "signed-out"


@when("click", "#sign-in")
def sign_in(event: object) -> None:
    try:
        auth.sign_in()
    except VeritoneError as error:  # not configured, or storage disabled
        show(error.message)


@when("click", "#sign-out")
def sign_out(event: object) -> None:
    auth.sign_out()
    show()


try:
    auth.start()  # finish the sign-in this page load brought back, if any
    show()
except VeritoneError as error:  # a refused response, or expired token: say why
    show(error.message)
