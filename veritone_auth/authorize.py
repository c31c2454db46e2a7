"""Step 1 of the implicit grant: the authorization request and the sign-in it leaves pending.

``authorization_url`` builds the request of RFC 6749 §4.2.1, and
``PendingSignIn`` is what this tab remembers until the response comes back:
the state it sent, where to, when, how, and where the user was::

    from veritone_auth.authorize import authorization_url, PendingSignIn

    url, state = authorization_url(endpoint, client_id, redirect_uri)
    pending = PendingSignIn(state, now, redirect_uri, return_to="/app/#settings")
    store.save_pending(pending)        # sessionStorage: this tab's one sign-in in progress

``urllib.parse`` and ``secrets`` are imported inside the functions that use
them: in Pyodide they take ~30 ms to import, and a page load with no sign-in
to start never needs them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from . import json_text
from .settings import SCOPE

# 32 random bytes: 256 bits, twice the 128 that RFC 9700 §2.1 asks of CSRF tokens.
STATE_BYTES = 32
# A sign-in not finished within 10 minutes is given up: a response that late is refused.
PENDING_LIFETIME = 600

# How a sign-in was started; its pending record accepts a response only from the same way.
REDIRECT_MODE = "redirect"
POPUP_MODE = "popup"
# A popup's window name: this prefix and a random part, new for each sign-in.
POPUP_NAME_PREFIX = "veritone-sign-in-"

PARAMETER_NOTES = {
    "response_type": "ask for an access token in the fragment (the implicit grant)",
    "client_id": "the app's public Client ID from Veritone Developer",
    "redirect_uri": "where Veritone sends the browser back; must match the app's registration exactly",
    "scope": "the only scope Veritone accepts",
    "state": "a fresh random value this tab checks on return (CSRF protection)",
}


def new_state() -> str:
    """Return a fresh, unguessable ``state`` value (RFC 6749 §10.12)."""
    import secrets

    return secrets.token_urlsafe(STATE_BYTES)


def authorization_params(client_id: str, redirect_uri: str, state: str, scope: str = SCOPE) -> dict[str, str]:
    """Return the parameters of the authorization request (§4.2.1), in the guide's order."""
    return {
        "response_type": "token",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": state,
    }


def authorization_url(
    endpoint: str,
    client_id: str,
    redirect_uri: str,
    *,
    state: str | None = None,
    scope: str = SCOPE,
) -> tuple[str, str]:
    """Return the authorization request URL (§4.2.1) and the state it carries.

    Every parameter is form-encoded by ``urlencode``; nothing is concatenated
    by hand, so a client id or redirect URI cannot smuggle in parameters.
    """
    from urllib.parse import urlencode

    state = state or new_state()
    query = urlencode(authorization_params(client_id, redirect_uri, state, scope))
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{query}", state


def popup_name() -> str:
    """A new name for a sign-in popup: random, so no other site's window can be taken for it."""
    return POPUP_NAME_PREFIX + new_state()[:16]


def return_location(page_url: str, redirect_uri: str) -> str:
    """Where a redirect sign-in brings the user back: the page's path and deep link.

    Same origin only, and only a path under the redirect URI's origin: it is
    taken from this tab's own address when the sign-in starts, never from a
    response. A fragment that looks like a response is not kept.
    """
    from urllib.parse import urlsplit

    from .callback import looks_like_response

    page, redirect = urlsplit(page_url), urlsplit(redirect_uri)
    if (page.scheme, page.netloc) != (redirect.scheme, redirect.netloc):
        return ""
    fragment = page.fragment if page.fragment and not looks_like_response(page.fragment) else ""
    location = (page.path or "/") + (f"?{page.query}" if page.query else "")
    return location + (f"#{fragment}" if fragment else "")


@dataclass(frozen=True)
class PendingSignIn:
    """This tab's one sign-in in progress: the state it sent, where to, when, and how.

    No response is accepted without one (RFC 9700 §4.2.4: a response this tab
    did not ask for is a login CSRF or a token injection), and it is spent by
    the first response that arrives, whether or not that one is good.
    """

    state: str
    started_at: float
    redirect_uri: str
    mode: str = REDIRECT_MODE  # or POPUP_MODE
    popup_name: str = ""  # the popup's window name (popup mode)
    return_to: str = ""  # path and deep link to go back to (redirect mode), same origin

    def expired(self, now: float) -> bool:
        return not 0 <= now - self.started_at < PENDING_LIFETIME

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> PendingSignIn | None:
        """Rebuild a stored record; None if the stored text is not one."""
        try:
            data = json_text.loads(text)
            record = cls(
                data["state"],
                float(data["started_at"]),
                data["redirect_uri"],
                str(data.get("mode", REDIRECT_MODE)),
                str(data.get("popup_name", "")),
                str(data.get("return_to", "")),
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        fields = (record.state, record.redirect_uri)
        if not all(isinstance(f, str) and f for f in fields):
            return None
        # Only a path on this origin: "//host" or "/\host" would leave it.
        if record.return_to and not (
            record.return_to.startswith("/") and record.return_to[1:2] not in ("/", "\\")
        ):
            return None
        return record
