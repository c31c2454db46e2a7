"""A local stand-in for Veritone: the OAuth authorize endpoint, its login page, and the GraphQL API.

It lets the demo and the tests run the real implicit flow offline. The OAuth
validation is oauthlib's (RFC 6749 §4.2), tokens are PyJWT HS256 JWTs with
Veritone's claims, and the API runs on a graphql-core schema.
"""
