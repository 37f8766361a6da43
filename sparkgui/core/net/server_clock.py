"""The time as the platform's server sees it: the `Date` header of one HEAD request.

It tells this laptop's wrong clock from an expired certificate, as Chrome's clock warning does.

The connection does not verify the certificate (it is the one whose dates are in doubt) and carries
nothing but a HEAD request; the answer's headers are read up to a bound, within a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import socket
import ssl
from email.utils import parsedate_to_datetime

MAX_HEAD_BYTES = 16 * 1024  # a response head larger than this is not a web server's


async def server_date(sock: socket.socket, host: str, context: ssl.SSLContext, timeout: float) -> dt.datetime | None:
    """The `Date` the server at the other end of `sock` (consumed) gives, or None when it gives none in time."""
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(
                sock=sock, ssl=context, server_hostname=host, limit=MAX_HEAD_BYTES
            )
            writer.write(
                f"HEAD / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: sparkgui\r\nConnection: close\r\n\r\n".encode()
            )
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
    except (OSError, ssl.SSLError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return None
    finally:
        if writer is not None:
            writer.transport.abort()
        else:
            sock.close()
    return date_header(head)


def date_header(head: bytes) -> dt.datetime | None:
    """The `Date:` of an HTTP response head, as an aware UTC time; None when absent or unreadable."""
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"date":
            with contextlib.suppress(TypeError, ValueError, IndexError):
                when = parsedate_to_datetime(value.strip().decode("latin-1"))
                return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
            return None
    return None
