"""The rest of the standard library, fetched the first time a page imports from it.

The page's runtime ships the standard-library modules the page imports, as bytecode, in
``python_stdlib.zip`` (see publish/stdlib.py). The others are in archives beside it:
``python_stdlib_client.zip``, what the synchronous API client imports (urllib.request,
http.client, email), and ``python_stdlib_rest.zip``, the other ~400 modules. A signed-out
cold load would otherwise download them for nothing. This file goes into the first archive
as ``sitecustomize``, which Python imports at startup. It puts a finder last on
``sys.meta_path``, so it is asked only about a module nothing else found. For a module of
a later archive, it fetches that archive once, synchronously (an import cannot wait), and
imports the module from it; its other modules follow from there. A fetch that fails is an
``ImportError`` that says so, and the next import of such a module fetches again.

Runs inside Pyodide only, in a page or a worker; stdlib-only, with ``js`` and
``pyodide_js`` imported when an archive is fetched.
"""

import sys

# Each later archive (beside python_stdlib.zip, under Pyodide's indexURL) and its modules
# by dotted name, space-separated; publish.stdlib writes them in.
ARCHIVES: dict[str, str] = {}
MODULES = {module: archive for archive, names in ARCHIVES.items() for module in names.split()}

_mounted: set[str] = set()
_mounting: set[str] = set()


def mounted(archive: str) -> str:
    """Where ``archive`` is put in the interpreter's file system."""
    return "/lib/" + archive


def fetch(url: str) -> bytes:
    """GET ``url`` synchronously as bytes; a synchronous XMLHttpRequest cannot ask for bytes."""
    from js import XMLHttpRequest

    request = XMLHttpRequest.new()
    request.open("GET", url, False)
    # Each byte comes as one character: 0x00-0x7F as they are, 0x80-0xFF as U+F780-U+F7FF,
    # so the low byte of each UTF-16 code unit is the byte.
    request.overrideMimeType("text/plain; charset=x-user-defined")
    try:
        request.send()
    except Exception as error:  # offline, or the host went away: a later import tries again
        raise ImportError(f"the standard library's {url} could not be fetched: {error}") from None
    if request.status != 200:
        raise ImportError(f"the standard library's {url} did not load: HTTP {request.status}")
    data = request.responseText.encode("utf-16-le")[::2]
    if not data.startswith(b"PK\x03\x04"):  # a portal's or proxy's page: not kept, so tried again
        raise ImportError(f"the standard library's {url} is not a zip archive")
    return data


def install(archive: str, data: bytes) -> None:
    """Put an archive fetched by other means (awaited, ahead of its first import) in place.

    What ``veritone_auth.browser.stdlib.prepare`` uses, so that a later import finds the
    archive there and never blocks the page on a synchronous fetch.
    """
    if not data.startswith(b"PK\x03\x04"):
        raise ImportError(f"the standard library's {archive} is not a zip archive")
    with open(mounted(archive), "wb") as file:
        file.write(data)
    _mounted.add(archive)


def mount(archive: str) -> None:
    """Put ``archive`` on this interpreter's file system, once."""
    if archive in _mounted:
        return
    if archive in _mounting:  # fetching needs only the first archive's modules; never wait on itself
        raise ImportError(f"{archive} is still being fetched")
    _mounting.add(archive)
    try:
        import pyodide_js

        data = fetch(str(pyodide_js._api.config.indexURL) + archive)
        with open(mounted(archive), "wb") as file:
            file.write(data)
        _mounted.add(archive)
    finally:
        _mounting.discard(archive)


class RestOfStdlib:
    """A meta path finder for the modules of the later archives."""

    @classmethod
    def find_spec(cls, name: str, path: list[str] | None = None, target: object = None) -> object:
        archive = MODULES.get(name)
        if archive is None:
            return None
        mount(archive)
        from importlib.machinery import PathFinder

        package = name.rpartition(".")[0]
        if not package:
            return PathFinder.find_spec(name, [mounted(archive)])
        # A package of another archive with modules in this one (encodings, email, ...):
        # its __path__ gains this archive's folder, so its other modules are found as usual.
        folder = mounted(archive) + "/" + package.replace(".", "/")
        if path is not None and folder not in path:
            path.append(folder)
        return PathFinder.find_spec(name, [folder])

    @classmethod
    def invalidate_caches(cls) -> None:
        pass


sys.meta_path.append(RestOfStdlib)
