"""The Veritone GraphQL API, in the part the page uses, on a real graphql-core schema.

Authentication errors follow Veritone: HTTP 200, the fields null, and
``errors[0].name == "authentication_error"``. Malformed requests get 400
with GraphQL-style errors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, build_schema, graphql_sync, parse, validate

from .oauth import Registry, User
from .tokens import InvalidTokenError, TokenIssuer

SCHEMA = build_schema(
    """
    type Query {
      me: User
      myRights: Rights
      temporalDataObjects(limit: Int = 10, offset: Int = 0): TemporalDataObjectList
    }
    type Mutation {
      userLogout(token: String!): Boolean
      deleteTemporalDataObject(id: ID!): DeletePayload
    }
    type DeletePayload { id: ID message: String }
    type User {
      id: ID!
      name: String
      email: String
      firstName: String
      lastName: String
      organization: Organization
    }
    type Organization { id: ID! name: String }
    type Rights { operations: [String] }
    type TemporalDataObjectList {
      records: [TemporalDataObject]
      count: Int
      limit: Int
      offset: Int
    }
    type TemporalDataObject { id: ID! name: String createdDateTime: String }
    """
)

RIGHTS = ["asset:uri", "job:read", "recording:read", "mention:read", "collection:read"]
TDO_NAMES = ("Board meeting.mp4", "Podcast episode 12.mp3", "Press conference.mov")
MAX_QUERY_BYTES = 100_000


class AuthenticationError(GraphQLError):
    """Veritone's error for a missing, invalid, expired or revoked token."""


class NotAllowedError(GraphQLError):
    """Veritone's error for a valid token that lacks the right for an operation."""


@dataclass
class Context:
    user: User | None
    auth_problem: str | None
    issuer: TokenIssuer


def _user(info: Any) -> User:
    context: Context = info.context
    if context.user is None:
        raise AuthenticationError(context.auth_problem or "Not authenticated.")
    return context.user


def _me(info: Any) -> dict[str, Any]:
    user = _user(info)
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "organization": {"id": user.organization_id, "name": user.organization_name},
    }


def _rights(info: Any) -> dict[str, Any]:
    _user(info)
    return {"operations": RIGHTS}


def _tdos(info: Any, limit: int = 10, offset: int = 0) -> dict[str, Any]:
    _user(info)
    records = [
        {"id": str(1_000_000 + i), "name": name, "createdDateTime": f"2026-11-{20 - i:02d}T10:00:00.000Z"}
        for i, name in enumerate(TDO_NAMES)
    ]
    limit, offset = max(0, min(limit, 100)), max(0, offset)
    page = records[offset : offset + limit]
    return {"records": page, "count": len(page), "limit": limit, "offset": offset}


def _logout(info: Any, token: str) -> bool:
    return info.context.issuer.revoke(token)


def _delete_tdo(info: Any, id: str) -> dict[str, Any]:  # noqa: A002 (the schema's name)
    _user(info)
    # The demo user has read rights only (RIGHTS): deleting is not allowed.
    raise NotAllowedError("The user does not have the right recording:delete.")


# graphql-core calls a root value's callables as resolver(info, **args).
ROOT = {
    "me": _me,
    "myRights": _rights,
    "temporalDataObjects": _tdos,
    "userLogout": _logout,
    "deleteTemporalDataObject": _delete_tdo,
}


def _format(error: GraphQLError) -> dict[str, Any]:
    formatted = error.formatted
    for kind, name in ((AuthenticationError, "authentication_error"), (NotAllowedError, "not_allowed")):
        if isinstance(error.original_error, kind) or isinstance(error, kind):
            formatted["name"] = name
    return formatted


class GraphQLApi:
    """Executes one GraphQL request body for one bearer token."""

    def __init__(self, registry: Registry, issuer: TokenIssuer) -> None:
        self.registry = registry
        self.issuer = issuer

    def authenticate(self, token: str | None) -> tuple[User | None, str | None]:
        try:
            claims = self.issuer.verify(token)
        except InvalidTokenError as problem:
            return None, str(problem)
        user = next((u for u in self.registry.users.values() if u.id == claims["userId"]), None)
        return (user, None) if user else (None, "The token's user does not exist.")

    def execute(self, body: bytes, token: str | None) -> tuple[int, dict[str, Any]]:
        """Return (HTTP status, response JSON) for a request body."""
        if len(body) > MAX_QUERY_BYTES:
            return 400, {"errors": [{"message": "The request body is too large."}]}
        try:
            request = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return 400, {"errors": [{"message": "The request body is not valid JSON."}]}
        if not isinstance(request, dict) or not isinstance(request.get("query"), str):
            return 400, {"errors": [{"message": "The request must be a JSON object with a query string."}]}
        variables = request.get("variables")
        if variables is not None and not isinstance(variables, dict):
            return 400, {"errors": [{"message": "variables must be a JSON object."}]}
        try:
            document = parse(request["query"])
        except GraphQLError as error:
            return 400, {"errors": [error.formatted]}
        problems = validate(SCHEMA, document)
        if problems:
            return 400, {"errors": [p.formatted for p in problems]}
        user, auth_problem = self.authenticate(token)
        result = graphql_sync(
            SCHEMA,
            request["query"],
            root_value=ROOT,
            context_value=Context(user, auth_problem, self.issuer),
            variable_values=variables,
            operation_name=request.get("operationName")
            if isinstance(request.get("operationName"), str)
            else None,
        )
        response: dict[str, Any] = {"data": result.data}
        if result.errors:
            response["errors"] = [_format(e) for e in result.errors]
        return 200, response
