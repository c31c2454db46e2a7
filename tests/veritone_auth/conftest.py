"""The core's API tests run against the real stand-in over loopback HTTP."""

from tests.standin.conftest import raw, server, standin

__all__ = ["raw", "server", "standin"]
