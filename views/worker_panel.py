"""The worker panel: a query run by Python in a worker, and its answer or error as text.

``#worker-result[data-state]`` is ``idle``, ``running``, ``ok`` or ``error``; on
an error, ``data-error`` holds its id, as ``#auth-error`` does.
"""

from __future__ import annotations

from veritone_auth.errors import VeritoneError

from . import element, set_text
from .console import as_text


def query() -> str:
    return str(element("worker-query").value)


def _state(state: str, text: str, error: str | None = None) -> None:
    box = element("worker-result")
    box.dataset.state = state
    if error is None:
        box.removeAttribute("data-error")
    else:
        box.dataset.error = error
    set_text("worker-result", text)
    element("worker-run").disabled = state == "running"
    element("worker-cancel").disabled = state != "running"


def show_running() -> None:
    _state("running", "Running in the worker…")


def show_answer(answer: object) -> None:
    _state("ok", as_text(answer))


def show_error(error: VeritoneError) -> None:
    _state("error", error.message, error.error)


def show_idle(text: str = "") -> None:
    _state("idle", text)
