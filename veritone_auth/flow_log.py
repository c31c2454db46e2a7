"""The flow inspector's record: one entry per step of the flow, safe to show.

The core writes an entry at each step (the URL built, the page leaving, the
callback, the state check, the token stored, each API request, expiry and
sign-out); the demo only renders them::

    from veritone_auth.flow_log import FlowLog

    log = FlowLog(storage)                 # survives the redirect in sessionStorage
    log.listeners.append(render)           # told of each new FlowEvent
    log.emit("state_check", now, "State matched", result="match")

It never holds the unmasked token: every value passes through ``redact``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, MutableMapping
from dataclasses import asdict, dataclass, field

from . import json_text

LOG_KEY = "veritone.flow_log"
# Anything shaped like a JWT is masked, whatever step it turns up in.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
MAX_EVENTS = 60

# Where to read about each step: the Veritone guide and the RFCs' own anchors.
GUIDE = "https://docs.veritone.com/#/developer/applications/app-tutorial/step-2"
RFC6749 = "https://www.rfc-editor.org/rfc/rfc6749"
RFC9700 = "https://www.rfc-editor.org/rfc/rfc9700"
LINKS: dict[str, str] = {
    "authorize_url": f"{RFC6749}#section-4.2.1",
    "leave": f"{RFC6749}#section-4.2",
    "callback": f"{RFC6749}#section-4.2.2",
    "state_check": f"{RFC6749}#section-10.12",
    "token_stored": f"{RFC9700}#section-2.1.2",
    "api_request": "https://www.rfc-editor.org/rfc/rfc6750#section-2.1",
    "token_expired": f"{RFC6749}#section-4.2.2",
    "sign_out": GUIDE,
    "abandon": f"{RFC6749}#section-10.12",
    "revoke": GUIDE,
    "error": f"{RFC6749}#section-4.2.2.1",
    "refused": f"{RFC9700}#section-4.2.4",
}


@dataclass(frozen=True)
class FlowEvent:
    """One step: what happened, when, and the parameters that matter."""

    step: str
    at: float
    summary: str
    details: list[tuple[str, str]] = field(default_factory=list)

    @property
    def link(self) -> str:
        return LINKS.get(self.step, GUIDE)


def redact(text: str) -> str:
    """Return ``text`` with every JWT-shaped string masked."""
    return _JWT.sub(lambda m: f"{m.group()[:6]}…{m.group()[-4:]}", text)


class FlowLog:
    """An append-only list of events over an injected storage, with tokens redacted."""

    def __init__(
        self,
        storage: MutableMapping[str, str] | None = None,
    ) -> None:
        self.storage = storage
        self.events: list[FlowEvent] = self._load()
        self.listeners: list[Callable[[FlowEvent], None]] = []

    def _load(self) -> list[FlowEvent]:
        try:
            raw = json_text.loads(self.storage.get(LOG_KEY) or "[]") if self.storage is not None else []
            return [
                FlowEvent(e["step"], float(e["at"]), e["summary"], [tuple(d) for d in e["details"]])
                for e in raw
            ]
        except Exception:  # a corrupt or unreadable log is only lost history
            return []

    def _save(self) -> None:
        if self.storage is None:
            return
        try:
            self.storage[LOG_KEY] = json.dumps([asdict(e) for e in self.events])
        except Exception:  # the log is a teaching aid; it must never break sign-in
            pass

    def emit(self, step: str, at: float, summary: str, **details: object) -> FlowEvent:
        """Record a step, kept with the log, and tell the listeners."""
        event = self.show(step, at, summary, **details)
        self.events = [*self.events, event][-MAX_EVENTS:]
        self._save()
        return event

    def show(self, step: str, at: float, summary: str, **details: object) -> FlowEvent:
        """Tell the listeners of a step that is never stored.

        Whatever an unsolicited response carried is not kept: anyone can put
        one in a tab, and it must not fill the log or outlive the page.
        """
        redacted = [(name, redact(str(value))) for name, value in details.items()]
        event = FlowEvent(step, at, redact(summary), redacted)
        for listener in self.listeners:
            listener(event)
        return event

    def clear(self) -> None:
        self.events = []
        if self.storage is not None:
            try:
                self.storage.pop(LOG_KEY, None)
            except Exception:
                pass
