"""The cross-engine group: the same flow in Firefox and in WebKit, against the same site."""

from __future__ import annotations

from tests.cross_engine.webkit import FLOW_STEPS

__all__ = ["FLOW_STEPS"]
