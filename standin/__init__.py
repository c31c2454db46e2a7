"""A local stand-in for Veritone: the OAuth authorize endpoint, its login page, and the GraphQL API.

It lets the demo and the tests run the real implicit flow offline. The OAuth
validation is oauthlib's (RFC 6749 §4.2), tokens are PyJWT HS256 JWTs with
Veritone's claims, and the API runs on a graphql-core schema.

- ``server.py``: which route answers which request; ``serve_standin()`` starts it
- ``handler.py``: answers, cookies, CORS and the token-free request log
- ``login.py``: the authorize endpoint's login form and its allow or deny
- ``api_routes.py``: GraphQL, the REST logout and their CORS preflights
- ``state.py``: ``StandinOptions`` (the knobs) and ``Standin`` (registry, sessions, stalls)
- ``oauth.py``, ``tokens.py``, ``api.py``, ``pages.py``: the protocol, the tokens, the
  schema and the HTML
"""
