"""A loopback port that silently drops connection attempts, like a firewall's DROP rule.

A listener with a backlog of 0 whose single queue slot is taken makes the kernel discard further SYNs,
so a connect gets no answer at all (no RST) until its own deadline.
"""

from __future__ import annotations

import socket
from types import TracebackType


class BlackholePort:
    def __init__(self, host: str = "127.0.0.1") -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.listener = socket.socket(family, socket.SOCK_STREAM)
        self.listener.bind((host, 0))
        self.listener.listen(0)
        self.port: int = self.listener.getsockname()[1]
        self.filler = socket.socket(family, socket.SOCK_STREAM)
        self.filler.connect((host, self.port))  # takes the only slot; never accepted

    def close(self) -> None:
        self.filler.close()
        self.listener.close()

    def __enter__(self) -> BlackholePort:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()
