"""The ``email`` and ``idn-email`` formats: a mailbox as RFC 5321 (and RFC 6531) spell it.

jsonschema's stock checks only look for an ``@``, so ``.joe@example.com`` or
``joe@invalid=domain`` pass. JSON Schema defines ``email`` as RFC 5321's ``Mailbox``
and ``idn-email`` as RFC 6531's (the same grammar, with UTF-8 allowed in the local part
and U-labels in the domain). Every piece is a regular expression without nested
quantifiers over overlapping classes, so a check takes linear time.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

_ATEXT = r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]"
_NON_ASCII = r"[^\x00-\x7f]"
_QTEXT = r"[\x20\x21\x23-\x5b\x5d-\x7e]"  # printable ASCII less '"' and '\'
_QUOTED_PAIR = r"\\[\x20-\x7e]"
_LET_DIG = r"[A-Za-z0-9]"
_LDH_STR = r"[A-Za-z0-9-]*[A-Za-z0-9]"


def _local_part(atext: str, qtext: str) -> re.Pattern[str]:
    atom = f"{atext}+"
    dot_string = rf"{atom}(?:\.{atom})*"
    quoted = rf'"(?:{qtext}|{_QUOTED_PAIR})*"'
    return re.compile(f"{dot_string}|{quoted}")


_LOCAL = _local_part(_ATEXT, _QTEXT)
_IDN_LOCAL = _local_part(f"(?:{_ATEXT}|{_NON_ASCII})", f"(?:{_QTEXT}|{_NON_ASCII})")
_SUB_DOMAIN = re.compile(rf"{_LET_DIG}(?:{_LDH_STR})?")
_IDN_SUB_DOMAIN = re.compile(r"(?!-)[^\x00-\x2c\x2e\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+(?<!-)")
_SNUM = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_IPV4 = re.compile(rf"{_SNUM}(?:\.{_SNUM}){{3}}")
_GENERAL = re.compile(rf"{_LDH_STR}:[\x21-\x5a\x5e-\x7e]+")

MAX_LOCAL_PART = 64  # octets, RFC 5321 section 4.5.3.1.1
MAX_DOMAIN = 255  # octets, section 4.5.3.1.2
MAX_LABEL = 63


def _domain(text: str, international: bool) -> bool:
    if len(text.encode("utf-8")) > MAX_DOMAIN:
        return False
    label = _IDN_SUB_DOMAIN if international else _SUB_DOMAIN
    labels = text.split(".")
    return all(label.fullmatch(part) and len(part.encode("utf-8")) <= MAX_LABEL for part in labels)


def _address_literal(text: str) -> bool:
    inner = text[1:-1]
    if inner.startswith("IPv6:"):
        try:
            ipaddress.IPv6Address(inner[len("IPv6:") :])
        except ValueError:
            return False
        return True
    return bool(_IPV4.fullmatch(inner) or (_GENERAL.fullmatch(inner) and ":" in inner))


def is_mailbox(value: Any, international: bool = False) -> bool:
    """Whether ``value`` is an RFC 5321 ``Mailbox`` (RFC 6531 when ``international``);
    anything but a string passes, as formats apply to strings only."""
    if not isinstance(value, str):
        return True
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        return False
    if len(local.encode("utf-8")) > MAX_LOCAL_PART:
        return False
    if not (_IDN_LOCAL if international else _LOCAL).fullmatch(local):
        return False
    if domain.startswith("[") and domain.endswith("]"):
        return _address_literal(domain)
    return _domain(domain, international)


def is_email(value: Any) -> bool:
    return is_mailbox(value)


def is_idn_email(value: Any) -> bool:
    return is_mailbox(value, international=True)
