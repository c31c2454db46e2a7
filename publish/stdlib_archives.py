"""The precompiled standard library sorted into the archives the page fetches (``publish.stdlib``).

``precompile`` writes one zip, with the later archives' modules under a prefix each
(``client/``, ``rest/``); ``split`` takes the prefixes off and writes one archive per
prefix, and the first, which every load fetches, with its members STORED.

    archives = split(full, "python_stdlib.zip", {"client/": "python_stdlib_client.zip"})
"""

from __future__ import annotations

import copy
import io
import zipfile


def split(full: bytes, first: str, later: dict[str, str]) -> dict[str, bytes]:
    """Split ``precompile``'s zip into the archives, by name: ``first``, and one per prefix of ``later``.

    A folder or data file goes where the modules under its folder are, so an archive never
    holds an empty folder: zipimport would import it as a namespace package, in place of
    the module another archive has. All keep the comment, the fingerprint ``build`` checks.
    """
    prefixes = {"": first, **later}

    def prefix_of(name: str) -> str:
        return next((p for p in later if name.startswith(p)), "")

    outputs = {archive: io.BytesIO() for archive in prefixes.values()}
    with zipfile.ZipFile(io.BytesIO(full)) as src:
        zips = {archive: zipfile.ZipFile(out, "w") for archive, out in outputs.items()}
        names = src.namelist()
        modules = {archive: [] for archive in zips}
        for name in names:
            if name.endswith((".py", ".pyc")):
                prefix = prefix_of(name)
                modules[prefixes[prefix]].append(name.removeprefix(prefix))
        for info in src.infolist():
            name = info.filename
            prefix = prefix_of(name)
            if prefix or name.endswith((".py", ".pyc")):
                targets = [prefixes[prefix]]
            else:
                folder = name if name.endswith("/") else name.rpartition("/")[0] + "/"
                targets = [a for a, held in modules.items() if any(m.startswith(folder) for m in held)]
            for archive in targets or [first]:  # a ZipInfo of its own in each: writing sets its offset
                entry = copy.copy(info)
                entry.filename = name.removeprefix(prefix)
                # The first archive's members STORED: brotli (publish.brotli) or a host's gzip
                # over the whole file shrinks it more than deflate member by member does.
                stored = archive == first
                zips[archive].writestr(
                    entry,
                    src.read(info),
                    compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
                    compresslevel=None if stored else 9,
                )
        for archive in zips.values():
            archive.comment = src.comment
            archive.close()
    return {archive: out.getvalue() for archive, out in outputs.items()}
