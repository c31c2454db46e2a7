"""The API's routes: GraphQL, the REST logout, and their CORS preflights.

Both answer only after ``api_latency`` (a stalled network) and obey the fault
knobs: ``api_status`` fails GraphQL with a 500 or 503, ``unauthorized_as_401``
answers a bad token as some gateways do, and ``rest_logout=False`` fails the
REST logout so only GraphQL's ``userLogout`` works.

    handler.guarded(graphql)                       # POST /v3/graphql
    handler.guarded(lambda h: rest_logout(h, tok)) # GET  /v1/admin/token/<tok>/logout
"""

from __future__ import annotations

import json
from http import HTTPStatus

from .handler import Handler

JSON = "application/json"


def preflight(http: Handler, methods: str) -> None:
    """Answer a CORS preflight: allowed for a registered page's origin, 403 for any other."""
    cors = http.cors()
    if cors:
        cors.update(
            {
                "Access-Control-Allow-Methods": methods,
                "Access-Control-Allow-Headers": "Authorization, Content-Type",
                "Access-Control-Max-Age": "600",
            }
        )
    http.reply(HTTPStatus.NO_CONTENT if cors else HTTPStatus.FORBIDDEN, b"", "text/plain", cors)


def rest_logout(http: Handler, token: str) -> None:
    """End the token's session (veritone-sdk's logout); a bad token is a 401."""
    cors = http.cors()
    http.standin.stall()
    if not http.standin.options.rest_logout:
        body = b'{"error":"Logout failed (stand-in fault knob)."}'
        http.reply(HTTPStatus.INTERNAL_SERVER_ERROR, body, JSON, cors)
        return
    if not http.standin.issuer.revoke(token):
        http.reply(HTTPStatus.UNAUTHORIZED, b'{"error":"Invalid token."}', JSON, cors)
        return
    http.reply(HTTPStatus.OK, b'{"message":"Logged out."}', JSON, cors)


def graphql(http: Handler) -> None:
    """Run a GraphQL request with the bearer token, after the latency and fault knobs."""
    # The knobs as the request arrived: new ones set during its stall apply to later requests.
    standin, options, cors = http.standin, http.standin.options, http.cors()
    length = http.body_length()
    if length is None:
        http.reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b'{"errors":[{"message":"Too large."}]}', JSON, cors)
        return
    body = http.rfile.read(length)
    standin.stall()
    if options.api_status:
        failure = b'{"errors":[{"message":"Service failure (stand-in fault knob)."}]}'
        http.reply(options.api_status, failure, JSON, cors)
        return
    if options.api_body is not None:  # a malformed or hostile answer, as it is
        http.reply(HTTPStatus.OK, options.api_body, JSON, cors)
        return
    token = bearer_token(http.headers.get("Authorization", ""))
    if options.unauthorized_as_401 and standin.api.authenticate(token)[0] is None:
        challenge = {**cors, "WWW-Authenticate": 'Bearer error="invalid_token"'}
        http.reply(HTTPStatus.UNAUTHORIZED, b'{"message":"Unauthorized"}', JSON, challenge)
        return
    status, response = standin.api.execute(body, token or None)
    http.reply(status, json.dumps(response).encode(), JSON, cors)


def bearer_token(authorization: str) -> str:
    """The token of an ``Authorization: Bearer <token>`` header; empty for any other."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""
