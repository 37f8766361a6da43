"""The deployment files stay true to the code: the example settings load, the systemd unit and the container
start the probe the way its settings expect, and neither runs it as root."""

from __future__ import annotations

import re
from pathlib import Path

from sparkgui.probe.settings import ENV_PREFIX, READERS, from_file

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_example_settings_load() -> None:
    settings = from_file(DEPLOY / "probe.toml")
    assert settings.port == 443 and settings.log_format == "json" and settings.cert and settings.key


def test_the_systemd_unit_starts_the_probe_with_its_config_and_without_root() -> None:
    unit = (DEPLOY / "sparkgui-probe.service").read_text()
    assert re.search(r"^ExecStart=\S+/python -m sparkgui\.probe --config /etc/sparkgui/probe\.toml$", unit, re.M)
    assert "DynamicUser=yes" in unit and "NoNewPrivileges=yes" in unit and "KillSignal=SIGTERM" in unit
    assert "CAP_NET_BIND_SERVICE" in unit  # port 443 without root


def test_the_container_uses_known_settings_a_user_and_a_health_check() -> None:
    containerfile = (DEPLOY / "Containerfile").read_text()
    variables = set(re.findall(rf"{ENV_PREFIX}([A-Z_]+)=", containerfile))
    assert variables and {name.lower() for name in variables} <= set(READERS), variables
    assert re.search(r"^USER probe$", containerfile, re.M)
    assert "/healthz" in containerfile and 'CMD ["python", "-m", "sparkgui.probe"]' in containerfile
