"""The authorize endpoint's two routes: the login form (GET) and its allow or deny (POST).

oauthlib validates the request (RFC 6749 §4.2): a bad ``client_id`` or
``redirect_uri`` gets an error page, never a redirect; any other error goes
back to the page in the fragment. A user already signed in at the stand-in (its
session cookie) goes straight back with a token. The form carries a CSRF token
bound to a cookie, so only the stand-in's own page can post it.

    handler.guarded(authorize_get)   # GET  /v1/admin/oauth/authorize?...
    handler.guarded(authorize_post)  # POST the same URL, with the form
"""

from __future__ import annotations

import hmac
import secrets
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

from oauthlib.oauth2.rfc6749 import errors

from .handler import AUTHORIZE_PATH, CSRF_COOKIE, SESSION_COOKIE, Handler
from .oauth import App, User
from .pages import error_page, login_page


def authorize_get(http: Handler) -> None:
    """Show the login form, or send a signed-in user straight back with a token."""
    app = validate(http)
    if app is None:
        return
    user = signed_in_user(http)
    if user is not None:  # already signed in at Veritone: straight back
        http.redirect(http.standin.oauth.authorize(request_uri(http), user), coop(http))
        return
    login_form(http, app)


def authorize_post(http: Handler) -> None:
    """Take the form's decision: deny, wrong password, or sign in and redirect with a token."""
    app = validate(http)
    if app is None:
        return
    length = http.body_length()
    if length is None:
        http.reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"Too large.\n", "text/plain")
        return
    form = dict(parse_qsl(http.rfile.read(length).decode("utf-8", "strict")))
    if not csrf_ok(http, form):
        title, why = "Form expired", "The sign-in form was not sent by this page. Go back and try again."
        http.reply_html(HTTPStatus.FORBIDDEN, error_page(title, why))
        return
    query = dict(parse_qsl(urlsplit(http.path).query))
    if form.get("decision") == "deny":
        error = errors.AccessDeniedError(state=query.get("state"))  # dropped if not echoed
        http.redirect(http.standin.oauth.error_redirect(query["redirect_uri"], error))
        return
    user = http.standin.registry.users.get(form.get("username", "").strip().lower())
    if user is None or not hmac.compare_digest(form.get("password", "").encode(), user.password.encode()):
        login_form(http, app, HTTPStatus.UNAUTHORIZED, "Wrong email or password.")
        return
    session = secrets.token_urlsafe(24)
    http.standin.sessions[session] = user.email
    cookie = f"{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Lax"
    http.redirect(http.standin.oauth.authorize(request_uri(http), user), {"Set-Cookie": cookie, **coop(http)})


def request_uri(http: Handler) -> str:
    host = http.headers.get("Host") or "localhost"
    return f"http://{host}{http.path}"


def validate(http: Handler) -> App | None:
    """Validate the authorization request; answer errors here and return None."""
    try:
        app, _info = http.standin.oauth.validate(request_uri(http))
        return app
    except errors.FatalClientError as error:
        description = error.description or error.error
        http.reply_html(HTTPStatus.BAD_REQUEST, error_page("Invalid authorization request", description))
    except errors.OAuth2Error as error:
        # The redirect URI was validated before any non-fatal error is raised.
        query = dict(parse_qsl(urlsplit(http.path).query))
        http.redirect(http.standin.oauth.error_redirect(query["redirect_uri"], error))
    return None


def signed_in_user(http: Handler) -> User | None:
    email = http.standin.sessions.get(http.cookies().get(SESSION_COOKIE, ""))
    return http.standin.registry.users.get(email) if email else None


def login_form(http: Handler, app: App, status: int = HTTPStatus.OK, message: str | None = None) -> None:
    """The form, with a fresh CSRF nonce in a cookie and its HMAC in the form."""
    nonce = secrets.token_urlsafe(16)
    query = urlsplit(http.path).query
    cookie = f"{CSRF_COOKIE}={nonce}; Path={AUTHORIZE_PATH}; HttpOnly; SameSite=Strict"
    page = login_page(app.name, query, http.standin.csrf_token(nonce), message)
    http.reply_html(status, page, {"Set-Cookie": cookie, **coop(http)})


def coop(http: Handler) -> dict[str, str]:
    """The login page's Cross-Origin-Opener-Policy, if the stand-in is told to send one."""
    return {"Cross-Origin-Opener-Policy": "same-origin"} if http.standin.options.coop else {}


def csrf_ok(http: Handler, form: dict[str, str]) -> bool:
    """The form's CSRF token is the HMAC of this browser's nonce cookie."""
    nonce = http.cookies().get(CSRF_COOKIE, "")
    expected = http.standin.csrf_token(nonce) if nonce else ""
    return bool(nonce) and hmac.compare_digest(form.get("csrf_token", ""), expected)
