"""JSON the page does not control, read without deep recursion.

An API answer, a token's claims, what another tab or page of the same origin
put in storage or on a channel: any of it may nest thousands of levels deep.
``json.loads`` recurses once per level, on the browser's own stack as well as
Python's. In a tab that had parsed such a body once, the next one overflowed
the browser's stack before Python's recursion limit came, and the call never
ended; under CPython the same body is a ``RecursionError`` nobody catches. So
the nesting is counted first, with no recursion at all::

    from veritone_auth.json_text import TooDeep, loads

    loads(b'{"data": {"me": null}}')         # {'data': {'me': None}}
    loads("[" * 5000 + "]" * 5000)           # raises TooDeep, a ValueError
"""

from __future__ import annotations

import json
from itertools import accumulate
from typing import Any

# Deeper than any answer Veritone gives or any value this library stores.
MAX_DEPTH = 64

# Only brackets and quotes decide nesting; the brackets are then kept as +1 and -1 (signed
# bytes), and their running sum is the depth.
_NOT_BRACKET_OR_QUOTE = bytes(set(range(256)) - set(b'[{]}"'))
_OPEN_CLOSE = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


class TooDeep(ValueError):
    """The JSON nests deeper than ``MAX_DEPTH``; it was not parsed."""


def nested_too_deeply(text: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and objects nest deeper than ``limit`` in a JSON text (UTF-8)."""
    if text.count(b"[") + text.count(b"{") <= limit:
        return False  # too few brackets to be (a profile answer has 5 in all)
    # Escapes out, left to right as a string reads them: an escaped backslash, then a quote.
    # Every quote left opens or closes a string, and what lies between two is a string's.
    # All of it is bytes methods, linear: a regular expression that read the escapes itself
    # took 4.8 s for 40 kB of quotes and escaped quotes, retrying from each one.
    unescaped = text.replace(b"\\\\", b"").replace(b'\\"', b"")
    pieces = unescaped.translate(None, _NOT_BRACKET_OR_QUOTE).split(b'"')
    brackets = b"".join(pieces[::2]).translate(_OPEN_CLOSE)  # outside strings
    return max(accumulate(memoryview(brackets).cast("b")), default=0) > limit


def loads(data: str | bytes) -> Any:
    """``json.loads``, refusing nesting deeper than ``MAX_DEPTH`` before it is parsed.

    Raises ``TooDeep`` for that and ``ValueError`` (``UnicodeDecodeError``
    included) for anything that is not JSON, as ``json.loads`` does.
    """
    # Decoded as json.loads would, so the brackets counted are the characters it parses.
    text = data.decode(json.detect_encoding(data), "surrogatepass") if isinstance(data, bytes) else data
    if nested_too_deeply(text.encode("utf-8", "surrogatepass")):
        raise TooDeep(f"JSON nested deeper than {MAX_DEPTH} levels")
    return json.loads(text)
