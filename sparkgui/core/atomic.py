"""Write files so that a failure (read-only folder, full disk) leaves no half file and any old file intact."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from sparkgui.core.i18n import Explained, Text, tr

_REASONS = {
    errno.EACCES: tr("permission denied"),
    errno.EPERM: tr("permission denied"),
    errno.EROFS: tr("the folder is read-only"),
    errno.ENOSPC: tr("the disk is full"),
    errno.EDQUOT: tr("the disk quota is exceeded"),
    errno.ENOENT: tr("the folder does not exist"),
    errno.ENOTDIR: tr("a part of the path is not a folder"),
    errno.EISDIR: tr("the path is a folder"),
}


class WriteError(Explained, OSError):
    """A file could not be written; the message says why and what to do."""


def special_file_problem(path: str | Path) -> Text | None:
    """Why `path` cannot take a report (it is a folder, a device, a pipe or a socket), or None if it can."""
    try:
        mode = Path(os.path.realpath(path)).stat().st_mode
    except OSError:
        return None  # nothing there yet (or unreadable): the write itself will say
    if stat.S_ISDIR(mode):
        return tr("it is a folder. Give a file name")
    if not stat.S_ISREG(mode):
        return tr("it is not a regular file (a device, a pipe or a socket). Give a file name")
    return None


def write_atomically(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` through a temporary file in the same folder, then rename it into place.

    A symbolic link is written through (its target is replaced, the link stays); a special file is refused
    rather than replaced. The file gets the usual permissions (those of the file it replaces, else 0666 less
    the umask), not the temporary file's 0600.
    """
    given = Path(path)
    target = Path(os.path.realpath(given))
    problem = special_file_problem(target)
    if problem is not None:
        raise WriteError(tr("Could not write {path}: {problem}.", path=str(given), problem=problem))
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), _mode_for(target))
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        reason = _REASONS.get(exc.errno or 0, Text(exc.strerror or str(exc)))
        raise WriteError(
            tr(
                "Could not write {path}: {reason}. Nothing was changed; choose another folder or free some space.",
                path=str(given),
                reason=reason,
            )
        ) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return target


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode) & 0o666  # a report is never executable, setuid least of all
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
