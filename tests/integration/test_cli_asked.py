"""The CLI never ignores what it was asked: options the window cannot honour are refused, SIGTERM and Ctrl-C
still write an "incomplete" report of what finished, the rules export writes CSV or JSON, a password in --proxy
or --pac is refused without being echoed, a proxy password that is not text
is refused before the run, and --help lists the demo scenarios and every exit status."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sparkgui.app.it_text import it_text
from sparkgui.app.session import RunRequest, Session
from sparkgui.core.events import NullSink
from sparkgui.core.profile import load_profile
from tests.integration.test_cli import sparkgui
from tests.support import Ep, profile_toml, run, validate_report


@pytest.mark.parametrize("option", [["--json", "r.json"], ["--pdf", "r.pdf"], ["--long-hold"], ["--hold", "5"]])
def test_options_only_a_headless_run_honours_are_refused_without_it(option: list[str]) -> None:
    code, _out, err = run(sparkgui(*option))
    assert code == 3 and f"{option[0]} works with --headless" in err and "Traceback" not in err


def test_two_lengths_for_one_hold_are_refused_rather_than_one_winning() -> None:
    code, _out, err = run(sparkgui("--headless", "--demo", "ready", "--hold", "5", "--long-hold"))
    assert code == 3 and "--long-hold" in err and "--hold" in err and "Traceback" not in err


@pytest.mark.parametrize("option", [["--proxy", "http://127.0.0.1:3128"], ["--no-proxy"], ["--resolver", "127.0.0.1"]])
def test_a_demo_refuses_route_options_it_would_ignore(option: list[str]) -> None:
    code, _out, err = run(sparkgui("--headless", "--demo", "ready", *option))
    assert code == 3 and f"{option[0]} does not go with --demo" in err and "Traceback" not in err


def test_usage_and_profile_errors_follow_lang(tmp_path: Path) -> None:
    bad = tmp_path / "venue.toml"
    bad.write_text('schema = 1\nname = "Venue"\nfoo = 1\n', encoding="utf-8")
    code, _out, err = run(sparkgui("--headless", "--lang", "fr", "--profile", str(bad)))
    assert code == 3 and "clé inconnue" in err and "unknown key" not in err
    code, _out, err = run(sparkgui("--headless", "--lang", "fr", "--demo", "--json", str(tmp_path / "no" / "r.json")))
    assert code == 3 and "n'existe pas" in err and "does not exist" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["--rules", "r.csv", "--history"],
        ["--rules", "r.json", "--json", "x.json"],
        ["--rules", "r.csv", "--headless", "--demo", "ready"],
        ["--forget", "1", "--json", "x.json"],
        ["--show", "1", "--demo", "ready"],
        ["--self-test", "--pdf", "x.pdf"],
    ],
)
def test_an_action_refuses_the_options_it_would_ignore(args: list[str], tmp_path: Path) -> None:
    code, _out, err = run(sparkgui(*args, env={"SPARKGUI_DATA_DIR": str(tmp_path)}))
    assert code == 3 and "does not go with" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == [] or not any(p.suffix in (".csv", ".json", ".pdf") for p in tmp_path.iterdir())


def test_help_lists_the_demo_scenarios_and_every_exit_status() -> None:
    code, out, _ = run(sparkgui("--help"))
    assert code == 0
    assert "ready, warnings, not-ready, dns" in out
    assert "130 interrupted" in out and "143 terminated" in out


def test_a_password_in_the_proxy_url_is_refused_and_never_echoed() -> None:
    code, out, err = run(sparkgui("--headless", "--proxy", "http://alice:pa55word@127.0.0.1:3128"))
    assert code == 3 and "--proxy-user" in err
    assert "pa55word" not in err + out


def test_a_password_in_the_pac_url_is_refused_and_never_echoed() -> None:
    code, out, err = run(sparkgui("--headless", "--pac", "http://alice:s3cret@127.0.0.1:8765/p.pac"))
    assert code == 3 and "--pac" in err and "s3cret" not in err + out


def test_a_proxy_password_that_is_not_text_is_refused_before_the_run() -> None:
    env = {"SPARKGUI_PROXY_PASSWORD": "p\udcffw"}  # the byte 0xff, as a shell would pass it
    args = ("--headless", "--proxy", "http://127.0.0.1:3128", "--proxy-user", "alice")
    code, _out, err = run(sparkgui(*args, env=env))
    assert code == 3 and "not valid text" in err and "Traceback" not in err


def test_the_rules_export_writes_csv_and_json_and_refuses_other_names(tmp_path: Path) -> None:
    assert run(sparkgui("--rules", str(tmp_path / "rules.csv")))[0] == 0
    assert (tmp_path / "rules.csv").read_text().startswith("host,port,protocol,direction")
    code, _, err = run(sparkgui("--rules", str(tmp_path / "rules.json"), "--lang", "fr"))
    assert code == 0 and "règle de la liste d'autorisations écrite dans" in err
    document = json.loads((tmp_path / "rules.json").read_text("utf-8"))
    assert "délai d'inactivité" in document["rules"][0]["text"]
    code, _, err = run(sparkgui("--rules", str(tmp_path / "rules.txt")))
    assert code == 3 and ".csv or .json" in err and not (tmp_path / "rules.txt").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(("how", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)])
@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_a_signal_during_the_run_still_writes_an_incomplete_report(
    tmp_path: Path, how: signal.Signals, status: int
) -> None:
    report = tmp_path / "report.json"
    cli = subprocess.Popen(
        [sys.executable, "-m", "sparkgui", "--headless", "--demo", "ready", "--hold", "20", "--json", str(report)],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        time.sleep(4)  # the hold has begun: most checks have finished
        cli.send_signal(how)
        _out, err = cli.communicate(timeout=20)
    finally:
        if cli.poll() is None:
            cli.kill()
    assert cli.returncode == status, err
    assert "Traceback" not in err and "cancelled" in err
    written = json.loads(report.read_text("utf-8"))
    validate_report(written)
    assert written["verdict"] == "incomplete"
    assert any(check["status"] == "pass" for check in written["checks"])  # what finished is kept


@pytest.mark.parametrize(("how", "status"), [(signal.SIGTERM, 143)])  # SIGINT and SIGHUP take the same handler
@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_a_signal_while_the_reports_are_written_still_writes_them(
    tmp_path: Path, how: signal.Signals, status: int
) -> None:
    report, pdf = tmp_path / "report.json", tmp_path / "report.pdf"
    args = ["--headless", "--demo", "ready", "--hold", "1", "--json", str(report), "--pdf", str(pdf)]
    cli = subprocess.Popen(
        [sys.executable, "-m", "sparkgui", *args],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert cli.stdout is not None
        for line in cli.stdout:  # the summary comes first, then the JSON, the PDF and the history
            if "passed," in line:
                cli.send_signal(how)
                break
        _out, err = cli.communicate(timeout=60)
    finally:
        if cli.poll() is None:
            cli.kill()
    assert cli.returncode == status, err
    assert "Traceback" not in err
    validate_report(json.loads(report.read_text("utf-8")))
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_a_summary_that_cannot_be_printed_costs_the_run_nothing(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    args = [sys.executable, "-m", "sparkgui", "--headless", "--demo", "ready", "--hold", "1", "--json", str(report)]
    with open("/dev/full", "w") as full:  # standard output on a full disk
        done = subprocess.run(
            args, stdin=subprocess.DEVNULL, stdout=full, stderr=subprocess.PIPE, text=True, timeout=90
        )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    validate_report(json.loads(report.read_text("utf-8")))
    with open("/dev/full", "w") as full:  # the JSON itself meant for it: said, and exit 4
        done = subprocess.run([*args[:-2], "--json", "-"], stdout=full, stderr=subprocess.PIPE, text=True, timeout=90)
    assert done.returncode == 4 and "could not be written to standard output" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_copy_for_it_names_the_profile_by_its_file_name_only(tmp_path: Path) -> None:
    private = tmp_path / "Users" / "alice" / "Documents"
    private.mkdir(parents=True)
    path = private / "venue.toml"
    path.write_text(profile_toml([Ep("app.sparkup.app", 443)]), encoding="utf-8")
    request = RunRequest(load_profile(path), demo="dns", hold_seconds=1)
    session = run(Session(request, NullSink()).execute())
    text = it_text(session, "en")
    assert "venue.toml" in text and "alice" not in text and str(private) not in text
    assert os.sep + "Users" not in text


def test_the_rules_document_names_the_hosts_for_consoles_without_wildcards(tmp_path: Path) -> None:
    assert run(sparkgui("--rules", str(tmp_path / "rules.json")))[0] == 0
    document = json.loads((tmp_path / "rules.json").read_text("utf-8"))
    assert document["hosts"] == ["app.sparkup.app", "probe.sparkup.app"]
