"""French as a French reader expects it: dates with "1er", status tags in French that still line up, and
the message to IT in the report's language with the file it goes with."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from sparkgui.app.it_mail import mail_to_it
from sparkgui.app.it_text import it_text
from sparkgui.app.session import RunRequest, SessionOutcome
from sparkgui.core.atomic import WriteError, write_atomically
from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import failed, passed, skipped
from sparkgui.core.context import NetworkSettings
from sparkgui.core.dates import date_text, when_text
from sparkgui.core.event import EventInfo
from sparkgui.core.i18n import reason_of, tr
from sparkgui.core.model import RunOutcome, Status
from sparkgui.core.net.proxy_spec import ProxyUrlError, parse_proxy_url
from sparkgui.core.presentation import status_tag, tag_width
from sparkgui.core.profile import ProfileError, load_profile
from sparkgui.core.report_text import report_text
from tests.support import Ep, make_profile, record


def test_dates_read_naturally_in_both_languages() -> None:
    first = dt.datetime(2026, 12, 1, 10, 32)
    assert date_text(first, "fr") == "1er décembre 2026"
    assert date_text(first.replace(day=2), "fr") == "2 décembre 2026"
    assert date_text(first, "en") == "1 December 2026"
    assert when_text(first, "fr") == "1er décembre 2026 à 10:32"
    aware = first.replace(tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert when_text(aware, "en") == "1 December 2026, 10:32 (UTC+01:00)"


def test_status_tags_are_french_and_one_width_lines_them_up() -> None:
    assert status_tag(Status.FAIL, str(Cause.TCP_REFUSED), "fr") == "ÉCHEC"
    assert status_tag(Status.PASS, "ok", "fr") == "OK"
    assert status_tag(Status.SKIPPED, str(Cause.SKIPPED_NOT_APPLICABLE), "fr") == "S.O."
    assert status_tag(Status.FAIL, str(Cause.TCP_REFUSED), "en") == "FAIL"
    for lang in ("en", "fr"):
        widest = max(len(status_tag(status, "", lang)) for status in Status)
        assert tag_width(lang) >= widest


def _session() -> SessionOutcome:
    now = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
    records = (
        record("dns", "a.test", passed(tr("Resolved."))),
        record("tcp", "a.test:443", failed(Cause.TCP_REFUSED, tr("Refused."), tr("Allow TCP 443."))),
        record("ipv6", "a.test", skipped(Cause.SKIPPED_NOT_APPLICABLE, tr("No IPv6."))),
    )
    network = NetworkSettings()
    request = RunRequest(make_profile([Ep("a.test", 443)]), network)
    return SessionOutcome.of(request, RunOutcome(records, False, now, now, 1500), network, None)


def test_copy_for_it_in_french_has_no_english_tag() -> None:
    text = it_text(_session(), "fr")
    assert "[ÉCHEC]" in text and "[FAIL]" not in text
    width = tag_width("fr")  # every tag padded to the widest French one
    assert f"\n{'OK':<{width}} dns:a.test" in text and f"\n{'S.O.':<{width}} ipv6:a.test" in text
    assert "Vérifié le 1er décembre 2026 à " in text


def test_a_kept_run_copied_for_it_speaks_its_reports_language_and_matches_the_live_copy() -> None:
    session = _session()
    kept = report_text(session.report("fr"))  # what the History view copies: from the JSON alone
    live = it_text(session, "fr")
    assert kept.startswith("Vérification du réseau pour Test platform (sparkgui)\nPas prêt\u00a0: ")
    assert "[ÉCHEC]" in kept and "[FAIL]" not in kept and "Vérifié le 1er décembre 2026 à " in kept
    width = tag_width("fr")
    assert f"\n{'OK':<{width}} dns:a.test" in kept and f"\n{'S.O.':<{width}} ipv6:a.test" in kept
    for part in ("À modifier\u00a0:", "\u21d2 Pare-feu\u00a0: Autoriser", "Tous les résultats\u00a0:"):
        assert part in kept and part in live  # the same parts as the window's Copy for IT
    all_results = kept.split("Tous les résultats\u00a0:\n", 1)[1]
    assert all_results == live.split("Tous les résultats\u00a0:\n", 1)[1]


def test_the_mail_to_it_names_the_file_in_the_reports_language() -> None:
    mail = mail_to_it(_session(), make_profile([Ep("a.test", 443)]), "/home/o/Sparkup.pdf", "pdf", "fr",
                      EventInfo(venue="Palais des Congrès"))  # fmt: skip
    assert mail.subject == "Test platform à Palais des Congrès\u00a0: vérification du réseau du 1er décembre 2026"
    assert mail.body.startswith("Bonjour,\n") and "En pièce jointe\u00a0: Sparkup.pdf, le rapport" in mail.body
    assert "/home/o" not in mail.body  # the file by its name: the laptop's folders are not IT's business
    query = parse_qs(urlsplit(mail.mailto()).query)
    assert query["subject"] == [mail.subject] and query["body"] == [mail.body.replace("\n", "\r\n")]
    assert " " not in mail.mailto() and "+" not in mail.mailto()  # every space percent-encoded (RFC 6068)


def test_rules_mailed_without_a_run_say_nothing_of_a_verdict() -> None:
    mail = mail_to_it(None, make_profile([Ep("a.test", 443)]), "rules.csv", "rules", "en")
    assert mail.subject == "Test platform: the allow-list rules for the venue's network"
    assert "ready" not in mail.body.lower() and "Attached: rules.csv, the platform's allow-list rules" in mail.body


def test_errors_for_people_speak_the_readers_language(tmp_path: Path) -> None:
    bad = tmp_path / "venue.toml"
    bad.write_text('schema = 1\nname = "Venue"\n[[endpoint]]\nhost = "192.0.2.1"\n', encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(bad)
    assert "is an IP address" in str(caught.value)  # English for logs
    french = caught.value.render("fr")
    assert french.startswith("venue.toml: endpoint[1].host: ") and "c'est une adresse IP" in french, french
    with pytest.raises(ProxyUrlError) as proxy:
        parse_proxy_url("http://10.1:3128", what="proxy")
    assert "adresse IP complète" in proxy.value.render("fr")
    folder = tmp_path / "sub"
    with pytest.raises(WriteError) as write:
        write_atomically(folder / "r.json", b"{}")
    assert "le dossier n'existe pas" in write.value.render("fr") and "Rien n'a été modifié" in write.value.render("fr")
    assert reason_of(write.value) is write.value.text and reason_of(OSError("odd")).render("fr") == "odd"
