"""The rest of the standard library, fetched the first time a page imports from it.

The page's runtime ships the standard-library modules the page imports, as bytecode, in
``python_stdlib.zip`` (see publish/stdlib.py); the other ~400 modules, 1.6 MB that a
signed-out cold load would otherwise download for nothing, are in
``python_stdlib_rest.zip`` beside it. This file goes into the first archive as
``sitecustomize``, which Python imports at startup. It puts a finder last on
``sys.meta_path``, so it is asked only about a module nothing else found. For a module
of the second archive, it fetches that archive once, synchronously (an import cannot
wait), and imports the module from it; its other modules follow from there.

Runs inside Pyodide only, in a page or a worker; stdlib-only, with ``js`` and
``pyodide_js`` imported when the archive is fetched.
"""

import sys

ARCHIVE = "python_stdlib_rest.zip"  # beside python_stdlib.zip, under Pyodide's indexURL
MOUNTED = "/lib/" + ARCHIVE
# The archive's modules by dotted name; publish.stdlib writes them in.
MODULES = frozenset("".split())

_mounted = False
_mounting = False


def fetch(url: str) -> bytes:
    """GET ``url`` synchronously as bytes; a synchronous XMLHttpRequest cannot ask for bytes."""
    from js import XMLHttpRequest

    request = XMLHttpRequest.new()
    request.open("GET", url, False)
    # Each byte comes as one character: 0x00-0x7F as they are, 0x80-0xFF as U+F780-U+F7FF,
    # so the low byte of each UTF-16 code unit is the byte.
    request.overrideMimeType("text/plain; charset=x-user-defined")
    request.send()
    if request.status != 200:
        raise ImportError(f"the rest of the standard library did not load: {url} gave HTTP {request.status}")
    return request.responseText.encode("utf-16-le")[::2]


def mount() -> None:
    """Put the archive on this interpreter's file system, once."""
    global _mounted, _mounting
    if _mounted:
        return
    if _mounting:  # fetching needs only the first archive's modules; never wait on itself
        raise ImportError(f"{ARCHIVE} is still being fetched")
    _mounting = True
    try:
        import pyodide_js

        data = fetch(str(pyodide_js._api.config.indexURL) + ARCHIVE)
        with open(MOUNTED, "wb") as file:
            file.write(data)
        _mounted = True
    finally:
        _mounting = False


class RestOfStdlib:
    """A meta path finder for the modules of ``python_stdlib_rest.zip``."""

    @classmethod
    def find_spec(cls, name: str, path: list[str] | None = None, target: object = None) -> object:
        if name not in MODULES:
            return None
        mount()
        from importlib.machinery import PathFinder

        package = name.rpartition(".")[0]
        if not package:
            return PathFinder.find_spec(name, [MOUNTED])
        # A package of the first archive with modules in this one (encodings, email, ...):
        # its __path__ gains this archive's folder, so its other modules are found as usual.
        folder = MOUNTED + "/" + package.replace(".", "/")
        if path is not None and folder not in path:
            path.append(folder)
        return PathFinder.find_spec(name, [folder])

    @classmethod
    def invalidate_caches(cls) -> None:
        pass


sys.meta_path.append(RestOfStdlib)
