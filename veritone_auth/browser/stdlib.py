"""The standard library's later archives, made ready ahead of an import, awaited, with a timeout.

    from veritone_auth.browser.stdlib import prepare

    await prepare()            # True once python_stdlib_rest.zip is in place
    import decimal             # no synchronous download now: the page never stands still

This project's runtime ships the modules a page imports in its first archive
and fetches the others on their first import, synchronously, because an
import cannot wait: a 2.6 MB download during which the page is frozen, with no
timeout. ``prepare`` fetches the archive with an awaited ``fetch`` instead and
hands it to the runtime's finder. On a runtime without later archives it does
nothing and says so (False).
"""

from __future__ import annotations

import sys
from typing import Any

from js import AbortSignal, Object, window
from pyodide.ffi import JsException, to_js

from ..errors import NetworkError, Timeout

REST = "python_stdlib_rest.zip"  # every module the page and its client do not import
CLIENT = "python_stdlib_client.zip"  # urllib.request, http.client, email: the synchronous client


def _finder() -> Any:
    """The runtime's finder of later archives (its ``sitecustomize``), or None."""
    finder = sys.modules.get("sitecustomize")
    return finder if finder is not None and hasattr(finder, "install") else None


async def prepare(archive: str = REST, timeout: float = 60.0) -> bool:
    """Fetch ``archive`` now, awaited; True once it is in place (or already was).

    Raises ``Timeout`` after ``timeout`` seconds and ``NetworkError`` if it
    cannot be fetched; a later import then fetches it as before.
    """
    finder = _finder()
    if finder is None or archive not in set(finder.ARCHIVES):
        return False
    if archive in finder._mounted:
        return True
    import pyodide_js

    url = str(pyodide_js._api.config.indexURL) + archive
    init = to_js(
        {"signal": AbortSignal.timeout(max(1, round(timeout * 1000)))}, dict_converter=Object.fromEntries
    )
    try:
        response = await window.fetch(url, init)
        if not response.ok:
            raise NetworkError(description=f"{archive}: HTTP {response.status}")
        data = (await response.arrayBuffer()).to_bytes()
    except JsException as exc:
        if exc.name == "TimeoutError":
            raise Timeout(description=f"{archive}: not fetched in {timeout:g} s") from None
        raise NetworkError(description=f"{archive} could not be fetched ({exc.name})") from None
    try:
        finder.install(archive, data)
    except ImportError as error:  # a portal's page, not the archive
        raise NetworkError(description=str(error)) from None
    return True
