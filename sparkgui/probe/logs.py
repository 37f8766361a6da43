"""The probe's logs: one line per event, as text or as JSON lines, and never a whole client address.

A public service logs what it needs to run and no more. A client's address is personal data, so it is
logged masked to its network (IPv4 /24, IPv6 /48): enough to see a venue's traffic, not to name a person.
The per-address limits still count full addresses, in memory only.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import sys
import time

MASK_V4 = 24
MASK_V6 = 48
_FIELD = re.compile(r"(\w+)=(\S+)")


def masked(address: str | None) -> str:
    """`203.0.113.7` → `203.0.113.0/24`, `2001:db8:1:2::7` → `2001:db8:1::/48`; anything else → `?`."""
    try:
        ip = ipaddress.ip_address((address or "").split("%")[0])
    except ValueError:
        return "?"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = MASK_V4 if ip.version == 4 else MASK_V6
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


class JsonLines(logging.Formatter):
    """Each record as one JSON object: time, level, the event (the message's first word) and its fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        message = record.getMessage()
        event, _, rest = message.partition(" ")
        entry: dict[str, object] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "event": event,
        }
        fields = dict(_FIELD.findall(rest))
        if fields:
            entry.update(fields)
        else:
            entry["message"] = message
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


_ADDRESS = re.compile(r"(?<![\w:.])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w:./])")


def _mask_addresses(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        found = match.group(0)
        return masked(found) if masked(found) != "?" else found

    return _ADDRESS.sub(one, text)


class LibraryRecords(logging.Filter):
    """The web library's own lines, such as aiohttp's "Error handling request from 203.0.113.7".

    Addresses are masked, and the traceback goes: its text quotes the client's bytes (a session code, a user
    agent). The error's kind stays, for the operator.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite a library's record in place; ours are written masked already."""
        if not record.name.startswith("aiohttp"):
            return True
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:  # "Error handling request from …"
            address = _ADDRESS.search(text)
            peer = masked(address.group(0)) if address else "?"
            text = f"request_error peer={peer} error={type(record.exc_info[1]).__name__}"
        record.msg, record.args, record.exc_info, record.exc_text = _mask_addresses(text), (), None, None
        return True


def start_logging(log_format: str) -> None:
    """Log to stderr (a service manager or container runtime keeps it) in `text` or `json`."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(LibraryRecords())
    if log_format == "json":
        handler.setFormatter(JsonLines())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
