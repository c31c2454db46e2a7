"""The flow inspector (``#flow-log``): one ``li[data-step]`` per step, the token only masked."""

from __future__ import annotations

import time
from collections.abc import Iterable

from js import document

from veritone_auth.flow_log import FlowEvent

from . import element


def show_step(event: FlowEvent) -> None:
    item = document.createElement("li")
    item.dataset.step = event.step
    when = document.createElement("span")
    when.className = "when"
    when.textContent = time.strftime("%H:%M:%S", time.localtime(event.at))
    item.append(when, document.createTextNode(event.summary + " "))
    link = document.createElement("a")
    link.setAttribute("href", event.link)
    link.setAttribute("rel", "noopener noreferrer")
    link.setAttribute("target", "_blank")
    link.textContent = "(spec)"
    item.append(link)
    if event.details:
        details = document.createElement("dl")
        for name, value in event.details:
            term, text = document.createElement("dt"), document.createElement("dd")
            term.textContent, text.textContent = name, value
            details.append(term, text)
        item.append(details)
    element("flow-log").append(item)


def show_steps(events: Iterable[FlowEvent]) -> None:
    element("flow-log").replaceChildren()
    for event in events:
        show_step(event)
