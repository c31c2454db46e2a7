"""The build's brotli copies of the runtime's two big files, and their manifest."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import brotli as brotli_module

from publish import brotli, stdlib, vendor


def fake_runtime(folder: Path) -> None:
    for name in brotli.NAMES:
        (folder / name).write_bytes(name.encode() * 5000)


def test_each_br_decodes_to_its_plain_file_and_the_manifest_gives_its_sizes(tmp_path: Path) -> None:
    fake_runtime(tmp_path)
    assert brotli.build(tmp_path) == 2
    manifest = json.loads((tmp_path / brotli.MANIFEST).read_text())
    for name in brotli.NAMES:
        packed, plain = (tmp_path / (name + ".br")).read_bytes(), (tmp_path / name).read_bytes()
        assert brotli_module.decompress(packed) == plain
        assert manifest[name]["br"] == len(packed) < len(plain) == manifest[name]["size"]


def test_a_second_build_writes_nothing_and_a_changed_file_is_compressed_again(tmp_path: Path) -> None:
    fake_runtime(tmp_path)
    brotli.build(tmp_path)
    assert brotli.build(tmp_path) == 0
    (tmp_path / "python_stdlib.zip").write_bytes(b"changed" * 100)
    assert brotli.build(tmp_path) == 1
    assert brotli_module.decompress((tmp_path / "python_stdlib.zip.br").read_bytes()) == b"changed" * 100
    # A .br cut short (an interrupted copy) is made again too.
    (tmp_path / "pyodide.asm.wasm.br").write_bytes(b"")
    assert brotli.build(tmp_path) == 1


def test_the_vendored_runtime_has_its_brotli_copies() -> None:
    vendor.vendor()
    manifest = json.loads((brotli.FOLDER / brotli.MANIFEST).read_text())
    for name in brotli.NAMES:
        packed = (brotli.FOLDER / (name + ".br")).read_bytes()
        assert manifest[name]["br"] == len(packed)
        assert manifest[name]["size"] == (brotli.FOLDER / name).stat().st_size
    # Brotli takes a fifth off gzip's bytes only if the archive is not deflated member by member.
    with zipfile.ZipFile(stdlib.TARGET) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
    assert manifest["pyodide.asm.wasm"]["br"] < 2_900_000
    assert manifest["python_stdlib.zip"]["br"] < 900_000


def test_the_decoder_is_vendored_with_its_licence() -> None:
    vendor.vendor()
    folder = vendor.VENDOR / "brotli-dec-wasm"
    assert (folder / "brotli_dec_wasm_bg.wasm").read_bytes()[:4] == b"\0asm"
    assert "MIT" in (folder / "LICENSE-MIT.txt").read_text()
    assert "Apache License" in (folder / "LICENSE-Apache.txt").read_text()
