"""Sign in with Veritone, OAuth 2.0 Implicit Flow: the pure-Python core.

Nothing here imports ``pyscript`` or ``js``. Storage and HTTP come in from the
caller, so the same code runs in the browser (``main.py`` hands it
sessionStorage and patches urllib with pyodide-http) and under CPython in the
tests (a dict and a real local server). Import the submodules directly; this
package imports nothing itself, to keep the page's start path short.
"""
