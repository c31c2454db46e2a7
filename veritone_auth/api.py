"""Step 6: the Veritone API as data: each request built, and each answer read, by a pure function.

A transport only moves bytes (``veritone_auth.transport``); these decide what
an answer means. Every answer is checked for shape, so anything malformed is
an ``ApiError`` with a message, never an exception in a page's handler::

    from veritone_auth.api import graphql_request, read_graphql, graphql_data

    request = graphql_request(api_url, token, "query { me { name } }")
    answer = read_graphql(ApiResponse(200, body))    # {"data": ..., "errors": [...]}
    data = graphql_data(answer)                       # or raises ApiError

The token travels in the ``Authorization: Bearer`` header (RFC 6750 §2.1),
in ``userLogout``'s body, and in the path of Veritone's REST logout URL,
never in a query string.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import json_text
from .errors import ApiError, InvalidToken, NotAllowed

ME_QUERY = (
    "query { me { id name email firstName lastName organization { id name } } myRights { operations } }"
)
LOGOUT_MUTATION = "mutation Logout($token: String!) { userLogout(token: $token) }"

# Veritone's GraphQL error names: a missing, invalid or expired token; a valid token that
# lacks a right. Only the first means "sign in again".
AUTHENTICATION_ERROR = "authentication_error"
NOT_ALLOWED = "not_allowed"

GRAPHQL_PATH = "/v3/graphql"
# How Veritone's own apps end a session (veritone-sdk); the token is the path's one variable.
LOGOUT_PATH = "/v1/admin/token/{token}/logout"
LOGOUT_LABEL = "GET /v1/admin/token/…/logout"

# An answer larger than this is refused before it is parsed: a real one is a few kB, and a
# page must not stall on decoding megabytes. Nesting deeper than json_text.MAX_DEPTH is refused too.
MAX_ANSWER_BYTES = 2_000_000


@dataclass(frozen=True)
class ApiRequest:
    """One HTTP request to the API, as data: what a transport sends."""

    method: str
    url: str = field(repr=False)  # the logout URL holds the token
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    body: bytes | None = field(default=None, repr=False)
    # Said in errors and the flow inspector instead of the URL.
    label: str = ""


@dataclass(frozen=True)
class ApiResponse:
    status: int
    body: bytes = b""


@dataclass(frozen=True)
class User:
    """The signed-in user, from the ``me`` query: what a page greets and shows."""

    id: str
    name: str
    email: str
    organization: str = ""
    organization_id: str = ""

    @classmethod
    def from_me(cls, data: dict[str, Any]) -> User:
        """From ``me()``'s answer (``{"me": {...}}``); raises ``ApiError`` if it has no user."""
        me = data.get("me")
        if not isinstance(me, dict):
            raise ApiError(description="the answer has no user (me)")
        organization = me.get("organization")
        organization = organization if isinstance(organization, dict) else {}

        def text(value: object) -> str:
            return value if isinstance(value, str) else str(value) if isinstance(value, int) else ""

        return cls(
            id=text(me.get("id")),
            name=text(me.get("name")) or text(me.get("email")),
            email=text(me.get("email")),
            organization=text(organization.get("name")),
            organization_id=text(organization.get("id")),
        )


def graphql_request(
    api_url: str, token: str, query: str, variables: dict[str, Any] | None = None
) -> ApiRequest:
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return ApiRequest("POST", api_url, headers, body, label=f"POST {api_url}")


def read_json(response: ApiResponse) -> object:
    """The answer's JSON, refused as ``ApiError`` if too large, too deep, or not JSON."""
    status = response.status
    if len(response.body) > MAX_ANSWER_BYTES:
        raise ApiError(description=f"HTTP {status}, answer over {MAX_ANSWER_BYTES // 1_000_000} MB")
    try:
        return json_text.loads(response.body)
    except json_text.TooDeep:
        raise ApiError(description=f"HTTP {status}, nested too deeply") from None
    except ValueError:  # UnicodeDecodeError included
        raise ApiError(description=f"HTTP {status}, not JSON") from None


def _errors(result: dict[str, Any]) -> list[dict[str, Any]]:
    """A GraphQL answer's ``errors``: a list of objects, or the answer is malformed."""
    errors = result.get("errors")
    if errors is None:
        return []
    if not isinstance(errors, list) or not all(isinstance(error, dict) for error in errors):
        raise ApiError(description="the answer's errors are malformed")
    return errors


def read_graphql(response: ApiResponse) -> dict[str, Any]:
    """Return a GraphQL answer (``data`` and ``errors``), or raise what it means.

    ``InvalidToken`` for ``authentication_error`` or HTTP 401, ``NotAllowed``
    for a right the token lacks, ``ApiError`` for another HTTP error or an
    answer that is not GraphQL's shape. Other GraphQL errors (a bad query,
    say) come back in the answer for the caller to show.
    """
    status = response.status
    if status == 401:
        raise InvalidToken(description="HTTP 401")
    if status >= 500:
        raise ApiError(description=f"HTTP {status}")
    result = read_json(response)
    if not isinstance(result, dict) or not ({"data", "errors"} & result.keys()):
        raise ApiError(description=f"HTTP {status}, not a GraphQL answer")
    if "data" in result and not isinstance(result["data"], dict | None):
        raise ApiError(description=f"HTTP {status}, the answer's data is malformed")
    errors = _errors(result)
    names = {error.get("name") for error in errors}
    if AUTHENTICATION_ERROR in names:
        raise InvalidToken(description=AUTHENTICATION_ERROR)
    if NOT_ALLOWED in names:  # the token is good; this one operation is not allowed
        message = next(error.get("message") for error in errors if error.get("name") == NOT_ALLOWED)
        raise NotAllowed(description=str(message or NOT_ALLOWED)[:200], result=result)
    if not 200 <= status < 300 and not errors:
        raise ApiError(description=f"HTTP {status}")
    return result


def graphql_data(result: dict[str, Any]) -> dict[str, Any]:
    """Return a GraphQL answer's ``data``; any GraphQL error is an ``ApiError``."""
    errors = _errors(result)
    if errors or not isinstance(result.get("data"), dict):
        message = errors[0].get("message") if errors else None
        raise ApiError(description=str(message or "no data")[:200])
    data: dict[str, Any] = result["data"]
    return data


def failed(result: dict[str, Any]) -> bool:
    """Whether a GraphQL answer reports an error: what the inspector says of an answer."""
    return bool(result.get("errors"))


def logout_request(api_url: str, token: str) -> ApiRequest:
    """Veritone's own way to end a session: REST ``GET …/token/<token>/logout``."""
    from urllib.parse import quote  # here: urllib.parse is slow to import in Pyodide

    from .callback import token_is_usable

    if not token_is_usable(token):  # never a dot segment or a slash in the path
        raise ValueError("this token cannot be put in a URL")
    url = api_url.removesuffix(GRAPHQL_PATH) + LOGOUT_PATH.format(token=quote(token, safe=""))
    return ApiRequest("GET", url, {"Authorization": f"Bearer {token}"}, label=LOGOUT_LABEL)


def read_logout(response: ApiResponse) -> bool:
    """True when the REST logout was confirmed; raises like ``read_graphql`` otherwise."""
    if response.status == 401:
        raise InvalidToken(description="HTTP 401")
    if not 200 <= response.status < 300:
        raise ApiError(description=f"HTTP {response.status}")
    return True


def user_logout_request(api_url: str, token: str) -> ApiRequest:
    """GraphQL ``userLogout``: the token in a header and the body, never in a URL."""
    request = graphql_request(api_url, token, LOGOUT_MUTATION, {"token": token})
    return ApiRequest(request.method, request.url, request.headers, request.body, label="userLogout")


def read_user_logout(response: ApiResponse) -> bool:
    """True only for ``{"data": {"userLogout": true}}``: anything else is not confirmed."""
    return graphql_data(read_graphql(response)).get("userLogout") is True
