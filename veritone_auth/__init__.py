"""Sign in with Veritone (OAuth 2.0 Implicit Flow) for Python in the browser.

The core is pure Python: nothing but ``veritone_auth.browser`` imports
``pyscript`` or ``js``. Storage and HTTP come in from the caller, so the same
code runs in the browser (``browser.BrowserAuth`` hands it sessionStorage and
sends requests through pyodide-http) and under CPython in the tests (a dict
and a real local server). Import the submodules directly; this package
imports nothing itself, to keep a page's start path short.
"""

__version__ = "0.1.0"
