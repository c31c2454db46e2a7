"""The demo page's views: each draws one part of the page, as text, from plain Python values.

They decide nothing: ``main.py`` tells them what to show. Untrusted text (a
server's description, API data) is always set as ``textContent``, never as
markup. Brought onto the page by ``pyscript.toml``'s ``[files]``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from js import document
from pyodide.ffi import create_proxy


def element(id_: str) -> Any:
    return document.getElementById(id_)


def set_text(id_: str, text: str) -> None:
    element(id_).textContent = text  # textContent: untrusted text never becomes markup


def on(id_: str, event: str, handler: Callable[..., Any]) -> None:
    element(id_).addEventListener(event, create_proxy(handler))
