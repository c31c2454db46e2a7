"""The API console: a GraphQL query box, and its answer as text, bounded in size."""

from __future__ import annotations

import json

from . import element, set_text

SAMPLE_QUERIES = {
    "me": "query {\n  me { id name email firstName lastName }\n  myRights { operations }\n}",
    "organization": "query {\n  me { organization { id name } }\n}",
    "recent": "query {\n  temporalDataObjects(limit: 5) {\n    records { id name createdDateTime }\n  }\n}",
}
# More text than this in a <pre> stalls the page's layout; the rest is cut, with a note.
MAX_SHOWN = 100_000


def query() -> str:
    return str(element("api-query").value)


def choose_sample() -> None:
    element("api-query").value = SAMPLE_QUERIES[str(element("api-sample").value)]


def as_text(answer: object) -> str:
    """An answer as indented JSON, cut at ``MAX_SHOWN`` characters with a note saying so."""
    text = json.dumps(answer, indent=2, ensure_ascii=False)
    if len(text) <= MAX_SHOWN:
        return text
    return f"{text[:MAX_SHOWN]}\n… (cut: the answer is {len(text):,} characters; {MAX_SHOWN:,} are shown)"


def show_busy() -> None:
    set_text("api-result", "")
    element("api-result").setAttribute("aria-busy", "true")  # the page stays usable meanwhile


def show_answer(answer: object) -> None:
    set_text("api-result", as_text(answer))


def show_failure(message: str) -> None:
    set_text("api-result", message)


def done() -> None:
    element("api-result").removeAttribute("aria-busy")
