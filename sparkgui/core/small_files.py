"""Reading a small file the user or the disk hands us, without blocking on a pipe or filling the memory."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotARegularFile(OSError):
    """A pipe, a device or a socket where a file was expected: reading it could block for ever."""


class FileTooBig(OSError):
    """Larger than the caller's limit: not the small text file it should be."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"is {size} bytes; at most {limit} were expected")
        self.size, self.limit = size, limit


def read_small_file(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Opened without blocking, then checked on the open descriptor, so a FIFO put in its place cannot hang the
    caller and /dev/zero cannot fill the memory. Raises IsADirectoryError, NotARegularFile, FileTooBig or the
    OSError of the failed open or read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(str(path))
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(f"{path} is not a regular file (a device, a pipe or a socket)")
        if info.st_size > limit:
            raise FileTooBig(info.st_size, limit)
        with os.fdopen(descriptor, "rb", closefd=True) as handle:
            descriptor = -1
            data = handle.read(limit + 1)
    finally:
        if descriptor != -1:
            os.close(descriptor)
    if len(data) > limit:
        raise FileTooBig(len(data), limit)
    return data
