"""A worker that runs API queries in Python over pyodide-http, off the page's main thread.

    from veritone_auth.browser.worker import QueryWorker

    worker = QueryWorker("static/query-worker.js", settings)
    answer = await worker.run(token, "query { me { name } }")   # the GraphQL answer, or raises
    worker.cancel()                                              # ends the query; a new worker next time

A module worker (``static/query-worker.js``) loads its own Pyodide and
pyodide-http, so the page's CSP needs nothing more than ``'self'``: no
``'unsafe-eval'``, no ``SharedArrayBuffer``. It starts on first use, never
delaying the page's ready. The token goes with each message and nowhere
else: no URL, no storage, no log.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from js import URL, Object, window
from pyodide.ffi import create_proxy, to_js

from ..api import failed
from ..errors import InvalidToken, NotAllowed, Timeout, VeritoneError, error_for
from ..flow import ImplicitFlow
from ..settings import Settings
from ..tokens import Token

# The worker's first query also starts its Python (seconds on a slow line or machine).
START_ALLOWANCE = 60.0


class QueryWorker:
    """The page's handle on its query worker: one query at a time, cancellable."""

    def __init__(self, script: str, settings: Settings) -> None:
        self.script = str(URL.new(script, window.location.href).href)
        self.settings = settings
        self.worker: Any = None
        self.started = False
        self.pending: dict[int, asyncio.Future[str]] = {}
        self.next_id = 0

    def _start(self) -> Any:
        if self.worker is None:
            options = to_js({"type": "module"}, dict_converter=Object.fromEntries)
            self.worker = window.Worker.new(self.script, options)
            self.worker.onmessage = create_proxy(self._answered)
            self.started = False
        return self.worker

    def _answered(self, event: Any) -> None:
        reply = event.data.to_py() if hasattr(event.data, "to_py") else event.data
        future = self.pending.pop(int(reply["id"]), None)
        self.started = True
        if future is not None and not future.done():
            future.set_result(str(reply["result"]))

    async def run(self, token: str, text: str) -> dict[str, Any]:
        """The GraphQL answer of ``text`` with ``token``; raises ``VeritoneError`` as the page's calls do."""
        worker = self._start()
        self.next_id += 1
        future: asyncio.Future[str] = asyncio.get_event_loop().create_future()
        self.pending[self.next_id] = future
        timeout = self.settings.api_timeout
        message = {"id": self.next_id, "apiUrl": self.settings.environment.api_url, "token": token}
        message |= {"query": text, "timeout": timeout}
        worker.postMessage(to_js(message, dict_converter=Object.fromEntries))
        limit = timeout + (5 if self.started else START_ALLOWANCE)
        try:
            reply = json.loads(await asyncio.wait_for(future, limit))
        except TimeoutError:
            self.cancel()  # stuck: a new worker next time
            raise Timeout(description=f"the worker gave no answer in {limit:g} s") from None
        if reply.get("ok"):
            answer: dict[str, Any] = reply["answer"]
            return answer
        if reply.get("error") == "api_error" and "answer" in reply:
            raise NotAllowed(description=reply.get("description"), result=reply["answer"])
        raise error_for(str(reply.get("error")), reply.get("description"))

    async def run_held(self, flow: ImplicitFlow, query: str) -> dict[str, Any]:
        """``run`` with the token ``flow`` holds: checked first, deleted if refused, recorded."""
        token = flow.current()
        if token is None:
            raise InvalidToken(description="No token is held.")
        started = flow.clock()
        try:
            answer = await self.run(token.access_token, query)
        except InvalidToken:
            flow.refused_by_api(token)
            raise
        except VeritoneError as error:
            self._logged(flow, token, started, error.error)
            raise
        self._logged(flow, token, started, "graphql errors" if failed(answer) else "ok")
        return answer

    def _logged(self, flow: ImplicitFlow, token: Token, started: float, outcome: str) -> None:
        flow.log.emit(
            "api_request",
            flow.clock(),
            f"query in a worker: POST {self.settings.environment.api_url} (pyodide-http)",
            headers=f"Authorization: Bearer {token.masked}",
            result=outcome,
            took=f"{(flow.clock() - started) * 1000:.0f} ms",
        )

    def cancel(self) -> None:
        """End the query under way: the worker is ended, and a new one starts on the next query."""
        if self.worker is not None:
            self.worker.terminate()
            self.worker = None
        for future in self.pending.values():
            if not future.done():
                future.set_exception(VeritoneError("cancelled", "The query was cancelled."))
        self.pending.clear()
