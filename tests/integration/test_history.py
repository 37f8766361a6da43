"""Every run remembered, in a real SQLite file on disk: the CLI keeps its runs, lists, exports, compares and
forgets them; the store prunes, survives a damaged file, a read-only folder and two writers at once, and
migrates an older schema. Runs are real CLI runs against loopback servers."""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sparkgui.core.demo.dns_server import DnsServer
from sparkgui.core.history.compare import compare
from sparkgui.core.history.store import FILE_NAME, History, HistoryError
from sparkgui.core.report import dumps, sha256_of
from tests.hostile.harness import HostileRun, hostile_profile, run_cli
from tests.servers.tls_servers import LoopbackPki, start_https
from tests.support import Ep, run, validate_report


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sparkgui", *args], capture_output=True, text=True, timeout=60, check=False
    )


async def _venue_run(folder: Path, port: int, address: str) -> HostileRun:
    """One real run at the Palais: app.test resolves to `address`, where the platform listens or not."""
    dns = await DnsServer({"app.test": [address]}).start()
    try:
        text = hostile_profile([Ep("app.test", port)])
        return await run_cli(folder, text, dns.port, "--venue", "Palais", "--event", "Summit")
    finally:
        await dns.stop()


def _two_runs(tmp_path: Path, pki: LoopbackPki) -> tuple[HostileRun, HostileRun]:
    async def scenario() -> tuple[HostileRun, HostileRun]:
        runner, port = await start_https(pki.server_context("app.test"))
        try:
            visit = await _venue_run(tmp_path / "visit", port, "127.0.0.2")  # nothing listens there: refused
            day = await _venue_run(tmp_path / "day", port, "127.0.0.1")
        finally:
            await runner.cleanup()
        return visit, day

    return run(scenario())


def test_the_cli_keeps_lists_compares_exports_and_forgets(tmp_path: Path, pki: LoopbackPki, data_folder: Path) -> None:
    visit, day = _two_runs(tmp_path, pki)
    assert visit.report["verdict"] == "not_ready" and day.report["verdict"] == "ready"
    assert "Kept in the history as run 1" in visit.stdout and "as run 2" in day.stdout
    assert (data_folder / FILE_NAME).exists()
    validate_report(day.report)  # with its optional `since`: the event day against the site visit
    tcp = next(c["id"] for c in day.report["checks"] if c["id"].startswith("tcp:"))
    assert day.report["since"]["run"] == 1 and [c["id"] for c in day.report["since"]["fixed"]] == [tcp]
    assert "since" not in visit.report  # nothing earlier at the Palais
    since_pdf = tmp_path / "day.pdf"
    assert _cli("--show", "2", "--pdf", str(since_pdf)).returncode == 0
    pdf_words = " ".join(
        subprocess.run(["pdftotext", str(since_pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "Since the run of" in pdf_words and "1 fixed, 0 new problems, 0 still to fix." in pdf_words

    french = _cli("--history", "--lang", "fr").stdout.splitlines()  # the terminal's list speaks the reader's language
    assert "Prêt" in french[0] and "0 problème " in french[0]
    assert "Pas prêt" in french[1] and "Palais · Summit" in french[1]
    assert "Ready" in _cli("--history", "--lang", "en").stdout.splitlines()[0]
    listed = json.loads(_cli("--history", "--json", "-").stdout)
    assert [(r["id"], r["verdict"], r["venue"], r["event"]) for r in listed] == [
        (2, "ready", "Palais", "Summit"),
        (1, "not_ready", "Palais", "Summit"),
    ]
    compared = json.loads(_cli("--compare", "2", "--json", "-").stdout)  # against the previous at the venue
    assert compared["runs"] == [1, 2]
    port = next(c["id"] for c in day.report["checks"] if c["id"].startswith("tcp:"))
    assert [c["id"] for c in compared["fixed"]] == [port] and compared["broke"] == []
    text = _cli("--compare", "1", "2", "--lang", "fr").stdout
    assert text.startswith("Depuis la vérification du ") and "1 corrigé, 0 nouveau problème." in text
    swapped = json.loads(_cli("--compare", "2", "1", "--json", "-").stdout)  # newer first: put in order
    assert swapped["runs"] == [1, 2] and [c["id"] for c in swapped["fixed"]] == [port]
    ignored = _cli("--compare", "1", "2", "--pdf", str(tmp_path / "cmp.pdf"))
    assert ignored.returncode == 3 and "--pdf does not go with --compare" in ignored.stderr

    exported = tmp_path / "again.json"
    shown = _cli("--show", "1", "--json", str(exported))
    assert shown.returncode == 0, shown.stderr
    assert sha256_of(exported.read_bytes()) == sha256_of(dumps(visit.report))  # the very report, byte for byte
    pdf = tmp_path / "again.pdf"
    assert _cli("--show", "1", "--pdf", str(pdf)).returncode == 0 and pdf.read_bytes().startswith(b"%PDF-")

    assert _cli("--forget", "1").returncode == 0
    missing = _cli("--show", "1", "--json", "-")
    assert missing.returncode == 3 and "there is no run 1" in missing.stderr
    assert "1 run deleted from the history." in _cli("--forget-all", "--lang", "en").stderr
    assert json.loads(_cli("--history", "--json", "-").stdout) == []


@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_no_history_keeps_nothing(tmp_path: Path, data_folder: Path) -> None:
    done = _cli("--headless", "--demo", "ready", "--hold", "1", "--no-history", "--json", str(tmp_path / "r.json"))
    assert done.returncode in (0, 1) and "Kept in the history" not in done.stdout + done.stderr
    assert not (data_folder / FILE_NAME).exists()


def _report(n: int, venue: str = "Palais", size: int = 0) -> dict[str, Any]:
    return {
        "schema": "sparkgui.report/1",
        "started_at": f"2026-11-{n % 28 + 1:02d}T10:00:00.000+00:00",
        "profile": {"name": "Sparkup", "source": "bundled:sparkup"},
        "event": {"venue": venue, "name": "Summit"},
        "verdict": "ready",
        "demo": False,
        "problems": [],
        "checks": [],
        "padding": "x" * size,
    }


def test_the_oldest_runs_are_pruned_past_the_cap(tmp_path: Path) -> None:
    history = History(tmp_path, max_total_bytes=50_000)
    for n in range(12):
        history.add(_report(n, size=9_000))
    kept = history.runs()
    assert 3 <= len(kept) <= 5  # about 10 KB each under a 50 KB cap
    assert [run.started_at[:10] for run in kept] == sorted((run.started_at[:10] for run in kept), reverse=True)
    assert kept[0].started_at.startswith("2026-11-12")  # the newest stays


def test_a_damaged_file_is_moved_aside_and_a_new_history_starts(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_bytes(b"this is not a database" * 100)
    history = History(tmp_path)
    assert history.add(_report(1)) == 1
    assert history.notes and "moved to" in str(history.notes[0])
    assert [p.name for p in tmp_path.glob(f"{FILE_NAME}.corrupt-*")]


def _spoil_run(folder: Path, run_id: int, report: str, verdict: str = "ready") -> None:
    with contextlib.closing(sqlite3.connect(folder / FILE_NAME)) as db, db:
        db.execute("UPDATE runs SET report = ?, verdict = ? WHERE id = ?", (report, verdict, run_id))


@pytest.mark.parametrize("report", ["not json {", "[1, 2]", "[" * 5000])
@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_a_damaged_run_is_a_message_for_every_command_and_never_costs_a_new_run_its_files(
    tmp_path: Path, data_folder: Path, report: str
) -> None:
    history = History(data_folder)
    history.add(_report(1))
    history.add(_report(2))
    _spoil_run(data_folder, 1, report, verdict="bogus")
    for command in (["--compare", "2"], ["--show", "1", "--pdf", str(tmp_path / "x.pdf")], ["--show", "1"]):
        done = _cli(*command)
        assert done.returncode == 3 and "run 1 in the history is damaged" in done.stderr, (command, done.stderr)
        assert "Traceback" not in done.stderr
    listed = _cli("--history")
    assert listed.returncode == 0 and "bogus" in listed.stdout and "Traceback" not in listed.stderr
    saved = tmp_path / "today.json"
    done = _cli("--headless", "--demo", "ready", "--hold", "1", "--venue", "Palais", "--json", str(saved))
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr, done.stderr
    assert "since" not in json.loads(saved.read_text("utf-8"))  # the earlier run is not readable: no comparison


def test_a_history_of_another_schema_is_moved_aside(data_folder: Path) -> None:
    data_folder.mkdir(parents=True)
    with contextlib.closing(sqlite3.connect(data_folder / FILE_NAME)) as db, db:
        db.execute("CREATE TABLE runs (something TEXT)")
        db.execute("PRAGMA user_version = 1")
    history = History(data_folder)
    assert history.add(_report(1)) == 1
    assert history.notes and "moved to" in str(history.notes[0])


def test_odd_history_requests_are_usage_errors(tmp_path: Path, data_folder: Path) -> None:
    for command in (["--show", "99999999999999999999"], ["--forget", "9223372036854775808"]):
        done = _cli(*command)
        assert done.returncode == 3 and "expected a run number" in done.stderr and "Traceback" not in done.stderr
    History(data_folder).add(_report(1))
    done = _cli("--show", "1", "--pdf", "-")
    assert done.returncode == 3 and "only --json can go to standard output" in done.stderr
    assert not Path("-").exists()
    done = _cli("--history", "--json", str(tmp_path / "h.json"))
    assert done.returncode == 3 and "--show ID" in done.stderr and not (tmp_path / "h.json").exists()
    assert _cli("--compare", "1", "1").returncode == 3
    assert "there is no run 42" in _cli("--compare", "42").stderr
    same = str(tmp_path / "r.json")
    done = _cli("--headless", "--demo", "ready", "--hold", "1", "--json", same, "--pdf", same)
    assert done.returncode == 3 and "give each report its own file" in done.stderr


@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_a_read_only_folder_is_a_clear_error_and_the_run_still_writes_its_json(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        locked = tmp_path / "not-a-folder"
        locked.write_text("a file where the folder should be")  # root ignores permissions: a file blocks it
    else:
        locked = tmp_path / "read-only"
        locked.mkdir(mode=0o500)
    with pytest.raises(HistoryError, match="cannot be"):
        History(locked / "inner").add(_report(1))
    report = tmp_path / "r.json"
    env = {**os.environ, "SPARKGUI_DATA_DIR": str(locked / "inner")}
    done = subprocess.run(
        [sys.executable, "-m", "sparkgui", "--headless", "--demo", "ready", "--hold", "1", "--json", str(report)],
        capture_output=True, text=True, timeout=60, env=env, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    assert json.loads(report.read_text("utf-8"))["demo"] is True
    assert "not kept in the history" in done.stderr and "Traceback" not in done.stderr


def _writer(folder: str, start: int, ready: Any) -> None:
    ready.wait(30)  # both at once, on a file neither has made yet
    history = History(Path(folder))
    for n in range(start, start + 20):
        history.add(_report(n))  # an exception here ends the process with status 1, and its traceback


@pytest.mark.parametrize("attempt", range(3))  # a new file each time: both writers race to create it
def test_two_processes_write_at_once(tmp_path: Path, attempt: int) -> None:
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(2)
    writers = [context.Process(target=_writer, args=(str(tmp_path), start, ready)) for start in (0, 100)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
    assert [writer.exitcode for writer in writers] == [0, 0]
    assert len(History(tmp_path).runs(limit=100)) == 40


def test_an_older_schema_is_migrated_and_a_newer_one_refused(tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.mkdir()
    sqlite3.connect(old / FILE_NAME).close()  # an empty file at schema 0, as before the first migration
    assert History(old).add(_report(1)) == 1
    with contextlib.closing(sqlite3.connect(old / FILE_NAME)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    newer = tmp_path / "newer"
    newer.mkdir()
    with contextlib.closing(sqlite3.connect(newer / FILE_NAME)) as db:
        db.execute("PRAGMA user_version = 99")  # closing(): a `with connection` only commits, and 3.13 warns
    with pytest.raises(HistoryError, match="newer sparkgui"):
        History(newer).runs()


def test_a_comparison_names_what_moved() -> None:
    before = {"started_at": "2026-11-12T10:02:00+00:00", "checks": [
        {"id": "dns:app.test", "status": "pass", "cause": "ok", "evidence": {"addresses": ["192.0.2.1"]}},
        {"id": "tls:app.test", "status": "warn", "cause": "tls.intercepted", "evidence": {"issuer": "Venue CA"}},
        {"id": "quality:latency", "status": "pass", "cause": "ok", "evidence": {"latency_ms": 30}},
    ]}  # fmt: skip
    after = {"started_at": "2026-12-01T08:00:00+00:00", "checks": [
        {"id": "dns:app.test", "status": "pass", "cause": "ok", "evidence": {"addresses": ["192.0.2.9"]}},
        {"id": "tls:app.test", "status": "pass", "cause": "ok", "evidence": {"issuer": "Amazon"}},
        {"id": "quality:latency", "status": "pass", "cause": "ok", "evidence": {"latency_ms": 41}},
        {"id": "ws:wss://app.test/ws", "status": "fail", "cause": "ws.blocked", "evidence": {}},
    ]}  # fmt: skip
    result = compare(before, after)
    assert [c.id for c in result.fixed] == ["tls:app.test"] and [c.id for c in result.broke] == ["ws:wss://app.test/ws"]
    assert {(m.id, m.fact) for m in result.moved} == {("dns:app.test", "addresses"), ("tls:app.test", "issuer")}
    assert result.lines("en")[0].startswith("Since the run of 12 November 2026")  # 30 → 41 ms is noise


def test_a_compare_speaks_of_checks_by_what_they_say_and_counts_a_problem_that_no_longer_applies_as_fixed() -> None:
    def check(check_id: str, status: str, cause: str, summary: str) -> dict[str, Any]:
        return {"id": check_id, "status": status, "cause": cause, "summary": summary, "evidence": {}}

    before = {**_report(1), "checks": [check("ipv6:a:443", "warn", "ipv6.broken", "IPv6 fails.")]}
    after = {
        **_report(2),
        "checks": [
            check("ipv6:a:443", "skipped", "skipped.not_applicable", "a has no IPv6 address."),
            check("tcp:a:443", "fail", "tcp.refused", "Connections to a are refused."),
        ],
    }
    comparison = compare(before, after)
    assert [c.id for c in comparison.fixed] == ["ipv6:a:443"]  # nothing left to fix there
    lines = comparison.lines("en")
    assert "  Connections to a are refused. [tcp:a:443: not checked then → tcp.refused]" in lines


def test_a_demo_is_compared_with_the_same_scenario_only(tmp_path: Path) -> None:
    from sparkgui.core.history.since import with_since

    history = History(tmp_path)
    demo = {**_report(1), "demo": True, "demo_scenario": "dns"}
    history.add(demo)
    other = {**_report(2), "demo": True, "demo_scenario": "ready"}
    assert "since" not in with_since(other, history)  # another scenario is another venue
    history.add(other)
    again = {**_report(3), "demo": True, "demo_scenario": "dns"}
    assert with_since(again, history)["since"]["run"] == 1


def test_compare_with_one_run_picks_the_run_its_report_is_compared_with(data_folder: Path) -> None:
    history = History(data_folder)
    history.add(_report(1, venue="Hall"))  # run 1: Sparkup at the Hall
    history.add({**_report(2, venue="Hall"), "profile": {"name": "Other", "source": "o.toml"}})  # another platform
    history.add(_report(3, venue="Hall"))
    history.add(_report(4, venue=""))
    history.add(_report(5, venue=""))
    compared = _cli("--compare", "3", "--json", "-")
    assert compared.returncode == 0 and json.loads(compared.stdout)["runs"] == [1, 3], compared.stderr
    nowhere = _cli("--compare", "5")  # no venue: the same place is unknown, as in the report's "since"
    assert nowhere.returncode == 3 and "no earlier run of the same platform" in nowhere.stderr


def test_the_list_says_how_many_older_runs_it_leaves_out(data_folder: Path) -> None:
    history = History(data_folder)
    for n in range(1003):
        history.add(_report(n, venue=f"V{n}"))
    lines = _cli("--history", "--lang", "en").stdout.splitlines()
    assert len(lines) == 1001 and lines[-1] == "… and 3 older runs (sparkgui --show ID).", lines[-1]
    assert len(json.loads(_cli("--history", "--json", "-").stdout)) == 1003  # for programs: every run


def test_damaged_rows_and_reports_are_listed_and_compared_without_a_traceback(data_folder: Path) -> None:
    history = History(data_folder)
    for n in range(3):
        history.add(_report(n, venue="Hall"))
    with contextlib.closing(sqlite3.connect(history.path)) as db, db:
        db.execute("UPDATE runs SET verdict = X'00ff', event = X'c3' WHERE id = 2")
        report = json.loads(db.execute("SELECT report FROM runs WHERE id = 3").fetchone()[0])
        report["checks"] = ["x", {"id": 5}]
        db.execute("UPDATE runs SET report = ? WHERE id = 3", (json.dumps(report),))
    for args in (
        ["--history"],
        ["--history", "--json", "-"],
        ["--compare", "1", "3"],
        ["--show", "0003", "--json", "-"],
    ):
        done = _cli(*args)
        assert done.returncode == 0 and "Traceback" not in done.stderr, (args, done.stderr)
    huge = _cli("--show", "0" * 30 + "1" + "0" * 30)
    assert huge.returncode == 3 and "Traceback" not in huge.stderr, huge.stderr


def _checks_report(*checks: tuple[str, str, str], evidence: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "started_at": "2026-12-01T10:00:00+00:00",
        "checks": [{"id": i, "status": s, "cause": c, "summary": i, "evidence": evidence or {}} for i, s, c in checks],
    }


def test_a_warning_that_became_a_failure_is_a_new_problem() -> None:
    before = _checks_report(("tls:app.test:443", "warn", "tls.intercepted"), ("dns:app.test", "fail", "dns.timeout"))
    after = _checks_report(("tls:app.test:443", "fail", "tls.untrusted"), ("dns:app.test", "warn", "dns.slow"))
    comparison = compare(before, after)
    assert [c.id for c in comparison.broke] == ["tls:app.test:443"]
    assert [c.id for c in comparison.still] == ["dns:app.test"]  # better, but still a problem


def test_a_skipped_check_has_no_facts_that_moved() -> None:
    before = _checks_report(("tls:app.test:443", "pass", "ok"), evidence={"issuer": "Test CA"})
    after = _checks_report(("tls:app.test:443", "skipped", "skipped.prerequisite"))
    assert compare(before, after).moved == []


def test_a_damaged_page_costs_the_runs_on_it_not_the_whole_history(data_folder: Path) -> None:
    history = History(data_folder)
    for n in range(300):
        history.add(_report(n, venue=f"V{n}", size=3000))  # about one run a page
    with contextlib.closing(sqlite3.connect(history.path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = int(db.execute("PRAGMA page_count").fetchone()[0])
        size = int(db.execute("PRAGMA page_size").fetchone()[0])
    with history.path.open("r+b") as handle:
        handle.seek(size * (pages // 2))
        handle.write(b"\xde\xad" * (size // 2))  # one page in the middle, overwritten
    first = _cli("--history")
    listed = _cli("--history", "--json", "-")
    assert "Traceback" not in first.stderr + listed.stderr
    if first.returncode != 0:  # the damage was met: moved aside, and what could be read was saved
        assert "corrupt-" in first.stderr and "could still be read" in first.stderr, first.stderr
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) >= 290  # one page lost, not three hundred runs


def test_the_run_just_kept_is_never_pruned_even_when_its_clock_says_it_is_the_oldest(tmp_path: Path) -> None:
    history = History(tmp_path, max_total_bytes=50_000)
    for n in range(5, 10):
        history.add(_report(n, size=9_000))
    kept = history.add({**_report(0, size=9_000), "started_at": "2020-01-01T10:00:00.000+00:00"})  # clock behind
    assert kept in [run.id for run in history.runs()]
