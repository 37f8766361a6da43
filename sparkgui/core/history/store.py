"""Every finished run, kept in SQLite: the site visit and the event day can be compared weeks apart.

One database file in the user's data folder (`data_folder()`), in WAL mode so the window and a CLI run can
write at once. The schema has a version (`PRAGMA user_version`) and migrations; the oldest runs are pruned
past a size cap. A corrupt file is moved aside (its name says when) and a new one started; a database
that stays locked is an error that says so. Either way the run itself is never lost: its JSON is written
by its own path before the history is touched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sparkgui.core.i18n import Explained, Text, tr
from sparkgui.core.report import dumps, sha256_of
from sparkgui.core.user_folders import data_folder

FILE_NAME = "history.sqlite"
SCHEMA_VERSION = 1
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # reports are ~50 KB: thousands of runs before anything is pruned
BUSY_TIMEOUT_MS = 5000
WAL_RETRY_S = 0.05

# Each migration takes the database from version N to N + 1; never edit one that has shipped.
MIGRATIONS: Sequence[str] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at TEXT NOT NULL,
        platform TEXT NOT NULL,
        profile TEXT NOT NULL,
        venue TEXT NOT NULL DEFAULT '',
        event TEXT NOT NULL DEFAULT '',
        verdict TEXT NOT NULL,
        problems INTEGER NOT NULL,
        demo INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        report TEXT NOT NULL
    );
    CREATE INDEX runs_by_venue ON runs (venue, started_at);
    """,
)
MAX_SALVAGED_RUNS = 20_000  # a history's size cap holds fewer
COLUMNS = (  # every column the migrations make: a table without one is not ours
    "id", "started_at", "platform", "profile", "venue", "event", "verdict", "problems", "demo", "sha256", "size",
    "report",
)  # fmt: skip
SELECT_ROW = f"SELECT {', '.join(COLUMNS)} FROM runs WHERE id = ?"  # a whole row, as salvage copies it
INSERT_ROW = f"INSERT INTO runs ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"


class HistoryError(Explained):
    """The history cannot be read or written; the message says why and what to do."""


def _summary(row: Sequence[Any]) -> RunSummary:
    """A row as a summary, whatever a damaged or hand-edited file holds in it (bytes, numbers, NULL)."""

    def text(value: Any) -> str:
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        return "" if value is None else str(value)

    def whole(value: Any) -> int:
        return value if isinstance(value, int) else 0

    return RunSummary(
        whole(row[0]), text(row[1]), text(row[2]), text(row[3]), text(row[4]), text(row[5]), whole(row[6]), bool(row[7])
    )


@dataclass(frozen=True)
class RunSummary:
    """One row of the history: enough to list it and pick it."""

    id: int
    started_at: str
    platform: str
    venue: str
    event: str
    verdict: str
    problems: int
    demo: bool

    def as_json(self) -> dict[str, Any]:
        """The row as the `--history --json` output lists it."""
        return {
            "id": self.id,
            "started_at": self.started_at,
            "platform": self.platform,
            "venue": self.venue,
            "event": self.event,
            "verdict": self.verdict,
            "problems": self.problems,
            "demo": self.demo,
        }


class History:
    """The history database at `folder / history.sqlite`; each call opens, works and closes."""

    def __init__(self, folder: Path | None = None, max_total_bytes: int = MAX_TOTAL_BYTES) -> None:
        self.folder = folder or data_folder()
        self.path = self.folder / FILE_NAME
        self.max_total_bytes = max_total_bytes
        self.notes: list[Text] = []  # what was done on the way (a corrupt file moved aside), for the person

    def add(self, report: Mapping[str, Any]) -> int:
        """Keep a finished run's report; return its id. The oldest runs go when the cap is passed."""
        event = report.get("event") or {}
        body = dumps(report)
        row = (
            str(report.get("started_at", "")),
            str(report.get("profile", {}).get("name", "")),
            str(report.get("profile", {}).get("source", "")),
            str(event.get("venue", "")),
            str(event.get("name", "")),
            str(report.get("verdict", "")),
            len(report.get("problems", [])),
            1 if report.get("demo") else 0,
            sha256_of(body),  # the digest of the exact bytes a saved JSON has: the PDF footer's
            len(body),
            body.decode("utf-8"),
        )
        with self._connection() as db:
            cursor = db.execute(
                "INSERT INTO runs (started_at, platform, profile, venue, event, verdict, problems, demo, sha256,"
                " size, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            run_id = int(cursor.lastrowid or 0)
            self._prune(db, keep=run_id)
        return run_id

    def runs(self, *, demo: bool | None = False, venue: str | None = None, limit: int = 1000) -> list[RunSummary]:
        """The newest runs first; demo runs apart (`demo=True` lists them, `None` lists both)."""
        where: list[str] = ["1 = 1"]
        params: list[object] = []
        if demo is not None:
            where.append("demo = ?")
            params.append(1 if demo else 0)
        if venue is not None:
            where.append("venue = ?")
            params.append(venue)
        sql = (
            "SELECT id, started_at, platform, venue, event, verdict, problems, demo FROM runs"
            f" WHERE {' AND '.join(where)} ORDER BY started_at DESC, id DESC LIMIT ?"
        )
        with self._connection() as db:
            rows = db.execute(sql, (*params, limit)).fetchall()
        return [_summary(row) for row in rows]

    def count(self) -> int:
        """How many runs are kept, demo runs included."""
        with self._connection() as db:
            return int(db.execute("SELECT COUNT(*) FROM runs").fetchone()[0])

    def report(self, run_id: int) -> dict[str, Any]:
        """The report of run `run_id`, as it was saved; HistoryError when there is no such run."""
        with self._connection() as db:
            row = db.execute("SELECT report FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise HistoryError(
                tr(
                    "there is no run {run} in the history ({path}); --history lists them",
                    run=run_id,
                    path=str(self.path),
                )
            )
        try:
            loaded = json.loads(row[0])
        except (TypeError, ValueError, RecursionError):
            loaded = None
        if not isinstance(loaded, dict):
            raise HistoryError(tr("run {run} in the history is damaged (its report is not readable JSON)", run=run_id))
        return loaded

    def forget(self, run_id: int) -> bool:
        """Delete one run; False when there was none with that id."""
        with self._connection() as db:
            return db.execute("DELETE FROM runs WHERE id = ?", (run_id,)).rowcount > 0

    def forget_all(self) -> int:
        """Delete every run; return how many there were."""
        with self._connection() as db:
            return int(db.execute("DELETE FROM runs").rowcount)

    # -- the file ------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        db = self._open()
        try:
            with db:  # one transaction: committed on success, rolled back on an error
                yield db
        except sqlite3.DatabaseError as exc:  # OperationalError among them
            if "locked" in str(exc) or "busy" in str(exc):
                raise HistoryError(
                    tr(
                        "the history ({path}) is locked by another sparkgui for more than {seconds} s; the run's "
                        "own report was not affected. Try again.",
                        path=str(self.path),
                        seconds=BUSY_TIMEOUT_MS // 1000,
                    )
                ) from None
            failure, damaged = str(exc), _is_corruption(exc)
        else:
            return
        finally:
            db.close()
        if damaged:  # a damaged page found by this query, not at opening: a new file, with every run still readable
            aside = self._move_aside()
            saved = self._salvage(aside)
            raise HistoryError(
                tr(
                    "the history ({path}) was damaged: it was moved to {aside}, and the {count} runs that could "
                    "still be read were copied into a new one. Run the command again.",
                    path=str(self.path),
                    aside=str(aside),
                    count=saved,
                )
            ) from None
        raise HistoryError(
            tr("the history ({path}) cannot be used: {problem}", path=str(self.path), problem=failure)
        ) from None

    def _open(self) -> sqlite3.Connection:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryError(
                tr(
                    "the history folder {folder} cannot be made: {problem}",
                    folder=str(self.folder),
                    problem=exc.strerror or str(exc),
                )
            ) from None
        for attempt in range(2):
            try:
                db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
                try:
                    _prepare(db)
                except BaseException:
                    db.close()
                    raise
                return db
            except sqlite3.DatabaseError as exc:
                if attempt or not _is_corruption(exc):
                    raise HistoryError(
                        tr("the history ({path}) cannot be opened: {problem}", path=str(self.path), problem=str(exc))
                    ) from None
                self._move_aside()
        raise AssertionError("unreachable")

    def _move_aside(self) -> Path:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{FILE_NAME}.corrupt-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(f"{self.path}{suffix}").replace(f"{aside}{suffix}")
        self.notes.append(
            tr("the history file was damaged: it was moved to {path} and a new one started", path=str(aside))
        )
        return aside

    def _salvage(self, damaged: Path) -> int:
        """Copy every run still readable in the damaged file into the new one; return how many.

        One row at a time, within a bound: a damaged page costs the runs on it, not the whole history.
        """
        saved = 0
        try:
            old = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True, timeout=1)
        except sqlite3.Error:
            return 0
        try:
            ids = _readable_ids(old)
            with contextlib.closing(self._open()) as new, new:
                for run_id in ids[-MAX_SALVAGED_RUNS:]:
                    try:
                        row = old.execute(SELECT_ROW, (run_id,)).fetchone()
                    except sqlite3.DatabaseError:
                        continue  # this run sat on the damaged page
                    if row is None:
                        continue
                    new.execute(INSERT_ROW, row)
                    saved += 1
        except (sqlite3.Error, HistoryError):
            pass
        finally:
            old.close()
        return saved

    def _prune(self, db: sqlite3.Connection, keep: int) -> None:
        """Delete the oldest runs past the size cap, never `keep` (the run just kept, whatever its clock said)."""
        total = int(db.execute("SELECT COALESCE(SUM(size), 0) FROM runs").fetchone()[0])
        while total > self.max_total_bytes:
            oldest = db.execute(
                "SELECT id, size FROM runs WHERE id != ? ORDER BY started_at, id LIMIT 1", (keep,)
            ).fetchone()
            if oldest is None:
                break
            db.execute("DELETE FROM runs WHERE id = ?", (oldest[0],))
            total -= int(oldest[1])


def _readable_ids(db: sqlite3.Connection) -> list[int]:
    """The run ids a damaged file still gives, by the primary key's own order (no index needed)."""
    ids: list[int] = []
    last = 0
    for _ in range(MAX_SALVAGED_RUNS * 2):  # bounded: a page of ids may be lost, the next ones still found
        try:
            row = db.execute("SELECT id FROM runs WHERE id > ? ORDER BY id LIMIT 1", (last,)).fetchone()
        except sqlite3.DatabaseError:
            last += 1  # step over an unreadable id
            continue
        if row is None:
            break
        last = int(row[0])
        ids.append(last)
    return ids


def _prepare(db: sqlite3.Connection) -> None:
    """WAL, a busy timeout, and the schema brought up to date by its migrations.

    Two programs may open a new file at once (the window and a CLI run): the migrations run under a write
    lock taken first (BEGIN IMMEDIATE), and the version is read again under it, so only one applies them.
    """
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    _use_wal(db)
    if _version(db) < SCHEMA_VERSION:
        previous, db.isolation_level = db.isolation_level, None  # the transaction is ours to open and end
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                for number in range(_version(db), SCHEMA_VERSION):
                    for statement in MIGRATIONS[number].split(";"):
                        if statement.strip():
                            db.execute(statement)
                    db.execute(f"PRAGMA user_version = {number + 1}")
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        finally:
            db.isolation_level = previous
    version = _version(db)
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"it was written by a newer sparkgui (schema {version}); update sparkgui")
    db.execute("SELECT COUNT(*) FROM runs").fetchone()  # reads a page: a damaged file fails here, not later
    db.execute(f"SELECT {', '.join(COLUMNS)} FROM runs LIMIT 0")  # another program's table fails here too


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch the file to WAL (it keeps it), waiting for another program that holds it.

    SQLite answers "locked" at once, without its busy timeout, while another program switches or writes a
    new file: so this tries again, within the same timeout.
    """
    for _ in range(round(BUSY_TIMEOUT_MS / (WAL_RETRY_S * 1000))):
        try:
            if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
                return
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            time.sleep(WAL_RETRY_S)
    raise sqlite3.OperationalError("database is locked")


def _version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    damaged = ("not a database", "malformed", "corrupt", "file is encrypted")
    foreign = ("no such table", "no such column", "no column named", "already exists")  # not our schema
    return any(words in text for words in (*damaged, *foreign))


@dataclass(frozen=True)
class Kept:
    """What became of a run given to the history: its id, or why it was not kept; notes on the way."""

    run_id: int | None
    problem: Text | None = None
    notes: tuple[Text, ...] = ()


def keep_run(report: Mapping[str, Any], history: History | None = None) -> Kept:
    """Keep a finished run; a history that cannot be used is a note for the person, never an exception.

    The window, the CLI and the watch all keep runs this way, after the run's own files are written.
    """
    history = history or History()
    try:
        run_id = history.add(report)
    except HistoryError as exc:
        return Kept(None, exc.text, tuple(history.notes))
    return Kept(run_id, None, tuple(history.notes))
