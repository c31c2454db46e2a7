"""The synchronous transport: ``urllib`` over pyodide-http's XMLHttpRequest, for a worker.

    from veritone_auth.browser.xhr import xhr_send
    client = VeritoneClient(api_url, token, send=xhr_send())

In a worker a synchronous request blocks only the worker, and pyodide-http
sets ``xhr.timeout``. On a page's main thread it would freeze the page with no
timeout: pages use ``veritone_auth.browser.fetch`` instead.
"""

from __future__ import annotations

from ..errors import NetworkError
from ..transport import Send


def xhr_send() -> Send:
    """``urllib_send`` over pyodide-http, imported and patched on first use.

    pyodide-http pulls in urllib.request and http.client. A runtime that
    fetches those modules only now (this project's does) and cannot is
    offline: that is a ``NetworkError``.
    """
    try:
        import pyodide_http
        from pyodide.ffi import JsException

        from ..transport import urllib_send

        pyodide_http.patch_urllib()  # idempotent
    except ModuleNotFoundError:  # not installed: the page's [files] left pyodide-http out
        raise
    except ImportError as error:  # there, but could not be fetched: offline
        raise NetworkError(description=str(error)) from error
    return lambda request, timeout: urllib_send(request, timeout, network_errors=(JsException,))
