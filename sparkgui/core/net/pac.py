"""PAC files: fetched with a deadline and a size limit, evaluated in a separate process that can be killed.

A PAC file is a JavaScript program from the network: it may throw, loop forever or return garbage. pypac's
interpreter (dukpy) has no time limit, so evaluation runs in a child process (`sparkgui --pac-worker`) that
is killed at the deadline. Nothing here can hang a run.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from sparkgui.core.i18n import Explained, Text, tr
from sparkgui.core.net.pac_worker import PARENT_VARIABLE
from sparkgui.core.net.proxy_spec import ProxySpec, ProxyUrlError, parse_proxy_url

MAX_PAC_BYTES = 1024 * 1024
MAX_WORKER_OUTPUT = 1024 * 1024


class PacError(Explained):
    """The PAC file cannot be fetched or evaluated; the message says why, for the report, in its language."""


@dataclass(frozen=True)
class PacChoice:
    """What the PAC file said for one URL: a proxy, or None for DIRECT; `raw` is its exact answer.

    `fallbacks` are the entries after the first one sparkgui can use, in order (None: DIRECT): a browser
    tries them when a proxy does not answer.
    """

    proxy: ProxySpec | None
    raw: str
    fallbacks: tuple[ProxySpec | None, ...] = ()
    passed_over: tuple[str, ...] = ()  # entries before the first usable one that sparkgui cannot test (SOCKS…)


async def fetch_pac(url: str, timeout: float, addresses: Sequence[str] = ()) -> str:
    """Download the PAC file directly (never through a proxy), within `timeout` and MAX_PAC_BYTES.

    `addresses`: where the PAC host lives when our own resolver found it (WPAD); else the system resolves it.
    """
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = Path(url2pathname(parts.path))  # `My%20PAC/…`, `/C:/Program%20Files/…` as OS settings write them
        try:  # in a thread, with the deadline: a FIFO or a slow network share must not block the event loop
            return await asyncio.wait_for(asyncio.to_thread(_read_local, path), timeout)
        except TimeoutError:
            raise PacError(
                tr("the PAC file {path} could not be read within {seconds} s", path=str(path), seconds=float(timeout))
            ) from None
    if parts.scheme not in ("http", "https"):
        raise PacError(tr("the PAC address {url} is not an http(s):// or file:// URL", url=repr(url)))
    import aiohttp

    from sparkgui.core.net.http_client import read_at_most
    from sparkgui.core.net.pinned_resolver import PinnedResolver

    connector = aiohttp.TCPConnector(resolver=PinnedResolver(addresses)) if addresses else aiohttp.TCPConnector()
    try:
        async with (
            aiohttp.ClientSession(
                connector=connector, timeout=aiohttp.ClientTimeout(total=timeout), trust_env=False
            ) as session,
            session.get(url, allow_redirects=True, max_redirects=3) as response,
        ):
            if response.status != 200:
                raise PacError(tr("the PAC file at {url} answered HTTP {status}", url=url, status=response.status))
            data = await read_at_most(response.content, MAX_PAC_BYTES + 1)
    except TimeoutError:
        raise PacError(
            tr("the PAC file at {url} did not arrive within {seconds} s", url=url, seconds=float(timeout))
        ) from None
    except aiohttp.ClientError as exc:
        raise PacError(
            tr("the PAC file at {url} cannot be fetched ({problem})", url=url, problem=f"{type(exc).__name__}: {exc}")
        ) from None
    if len(data) > MAX_PAC_BYTES:
        raise PacError(tr("the PAC file at {url} is larger than {size} KiB", url=url, size=MAX_PAC_BYTES // 1024))
    return data.decode("utf-8", "replace")


def _read_local(path: Path) -> str:
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise PacError(
                tr("the PAC file {path} is not a regular file (a pipe, a device or a folder)", path=str(path))
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_PAC_BYTES + 1)
    except OSError as exc:
        raise PacError(
            tr("the PAC file {path} cannot be read ({problem})", path=str(path), problem=str(exc.strerror or exc))
        ) from None
    if len(data) > MAX_PAC_BYTES:
        raise PacError(tr("the PAC file {path} is larger than {size} KiB", path=str(path), size=MAX_PAC_BYTES // 1024))
    return data.decode("utf-8", "replace")


def worker_command() -> list[str]:
    """How to start the PAC worker: this program itself, frozen (installer) or from source."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--pac-worker"]
    return [sys.executable, "-m", "sparkgui", "--pac-worker"]


async def evaluate_pac(script: str, urls: Sequence[str], timeout: float) -> dict[str, PacChoice]:
    """Run FindProxyForURL for each URL in a child process killed at `timeout`.

    The child dies with this process whatever ends it (a signal, a crash): it is told our pid and asks the
    kernel for SIGKILL when its parent goes (Linux), and it watches its stdin, which stays open until the
    answer is read, and leaves at its end of file (everywhere).
    """
    request = json.dumps({"pac": script, "urls": list(urls)}).encode("utf-8") + b"\n"
    process = await asyncio.create_subprocess_exec(
        *worker_command(),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
        env={**os.environ, PARENT_VARIABLE: str(os.getpid())},
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        async with asyncio.timeout(timeout):
            process.stdin.write(request)
            await process.stdin.drain()
            stdout = await process.stdout.read(MAX_WORKER_OUTPUT + 1)
            while stdout and len(stdout) <= MAX_WORKER_OUTPUT and (more := await process.stdout.read(65536)):
                stdout += more
    except TimeoutError:
        raise PacError(
            tr("the PAC file did not finish evaluating within {seconds} s (an endless loop?)", seconds=float(timeout))
        ) from None
    except (BrokenPipeError, ConnectionResetError):
        stdout = b""
    finally:
        process.stdin.close()
        if process.returncode is None:
            process.kill()
        await process.wait()
    if len(stdout) > MAX_WORKER_OUTPUT:
        raise PacError(tr("the PAC file returned an unreasonably long answer"))
    try:
        answer = json.loads(stdout or b"{}")
    except ValueError:
        raise PacError(tr("the PAC evaluator gave no readable answer")) from None
    if "error" in answer:
        raise PacError(tr("the PAC file cannot be evaluated: {problem}", problem=str(answer["error"])))
    results = answer.get("results", {})
    return {url: parse_pac_answer(str(results.get(url, ""))) for url in urls}


def parse_pac_answer(answer: str) -> PacChoice:
    """Read `PROXY a:1; PROXY b:2; DIRECT`: the first entry sparkgui can use, then the others as fallbacks.

    Entries are split on any whitespace, as browsers do; SOCKS and HTTPS proxies are passed over (sparkgui
    reaches proxies in plain HTTP), as is a malformed proxy address when a later entry can be used, and each
    one passed over before the first usable entry is named, since a browser would have used it. An entry
    with a user name and password is no address browsers accept either: it is passed over, and its
    credentials never reach the report (`raw` is the answer without them).
    """
    shown = _without_credentials(answer)
    entries = [entry.strip() for entry in shown.split(";") if entry.strip()]
    if not entries:
        raise PacError(tr("the PAC file returned {answer}, which is not a proxy choice", answer=repr(shown)))
    usable: list[ProxySpec | None] = []
    skipped: list[str] = []
    unusable: Text | None = None
    for entry in entries:
        kind, *rest = entry.split(None, 1)
        address = rest[0].strip() if rest else ""
        if kind.upper() == "DIRECT":
            usable.append(None)
            continue
        if kind.upper() in ("PROXY", "HTTP") and address and "@" not in address:
            try:
                usable.append(parse_proxy_url(address, what="PAC"))
                continue
            except ProxyUrlError as exc:
                unusable = unusable or exc.text
        if not usable:
            skipped.append(" ".join(entry.split()))
    if usable:
        return PacChoice(usable[0], shown, tuple(usable[1:]), tuple(skipped))
    if unusable:
        raise PacError(tr("the PAC file returned an unusable proxy: {problem}", problem=unusable))
    raise PacError(
        tr("the PAC file returned {answer}: no DIRECT or HTTP proxy entry sparkgui can use", answer=repr(shown))
    )


def _without_credentials(answer: str) -> str:
    """The PAC answer with any `user:password@` in its entries replaced by `***@`."""
    return re.sub(r"[^\s;]*@", "***@", answer)
