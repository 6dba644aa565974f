"""JSON pointers (RFC 6901), in one place: escape, unescape, format, parse and resolve.

Every module that writes or follows a pointer uses these, so ``~0``/``~1`` are handled the
same way everywhere and a list index is followed wherever a key is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

MISSING: Any = object()  # what ``resolve`` returns when the pointer leads nowhere


def escape(token: str) -> str:
    """Escape one reference token (``a/b`` -> ``a~1b``)."""
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """Undo ``escape`` (``a~1b`` -> ``a/b``); ``~01`` stays ``~1``, as the RFC says."""
    return token.replace("~1", "/").replace("~0", "~")


def format_pointer(path: Iterable[Any]) -> str:
    """A pointer from path parts (keys and list indices): ``["a", 0]`` -> ``/a/0``."""
    return "".join(f"/{escape(str(part))}" for part in path)


def tokens(pointer: str) -> list[str]:
    """The unescaped tokens of a pointer (``""`` has none). A leading ``#`` is allowed."""
    pointer = pointer.removeprefix("#")
    return [unescape(token) for token in pointer.split("/")[1:]] if pointer else []


def fragment_tokens(fragment: str) -> list[str]:
    """The tokens of a pointer written as a URI fragment (percent-decoded first)."""
    return tokens(unquote(fragment))


def resolve(document: Any, pointer: str, default: Any = MISSING) -> Any:
    """The value at ``pointer`` in ``document`` (keys and list indices), else ``default``."""
    node = document
    for token in tokens(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and _is_index(token) and int(token) < len(node):
            node = node[int(token)]
        else:
            return default
    return node


def last_token(pointer: str) -> str:
    """The last token, unescaped (``/$defs/a~1b`` -> ``a/b``)."""
    return unescape(pointer.rsplit("/", 1)[-1])


def _is_index(token: str) -> bool:
    # RFC 6901: an array index is 0 or digits without a leading zero
    return token == "0" or (token.isdigit() and not token.startswith("0"))
