"""The venue's proxy (squid on the proxy host), with direct egress blocked so the proxy is the only way out:
given in the environment, with Basic auth, denying CONNECT to one name, chosen by a PAC file, and down."""

from __future__ import annotations

import pytest

from tests.lab import topology as topo
from tests.lab.expect import expect, skipped_after
from tests.lab.lab import Lab
from tests.lab.squid import SQUID_PORT, SquidSetup

pytestmark = pytest.mark.lab

HOSTS = topo.PLATFORM_HOSTS[:3]
WS = f"wss://{topo.PROBE_HOST.name}/ws"
PROXY_ADDRESS = f"{topo.PROXY.v4_host}:{SQUID_PORT}"
CONNECT_TIMEOUT = 2.0
USER, PASSWORD = "venue", "s3cret horse"


def tunnels(lab: Lab) -> str:
    """squid's access log: what really went through the proxy."""
    return (lab.squid_folder / "access.log").read_text()


def test_direct_egress_blocked_environment_proxy_carries_every_check(lab: Lab) -> None:
    lab.block_direct()
    proxy = lab.start_squid(SquidSetup())
    run = lab.run_sparkgui(lab.write_profile(HOSTS), env={"https_proxy": proxy})
    expect(run, "ready")
    checks = run.checks
    assert checks["proxy:direct"]["evidence"]["direct"] == "blocked", checks["proxy:direct"]  # only the proxy
    assert run.report["environment"]["route"] == {
        "mode": "proxy",
        "proxy": PROXY_ADDRESS,
        "source": "environment (https_proxy)",
    }
    for host in HOSTS:
        tcp = checks[f"tcp:{host.name}:443"]["evidence"]
        assert tcp["proxy"] == PROXY_ADDRESS and tcp["tunnel"] == "open", tcp
        assert f"CONNECT {host.name}:443" in tunnels(lab)
    assert checks[f"ws:{WS}"]["evidence"]["status"] == 101  # the WebSocket works through the tunnel too
    assert checks[f"ws-hold:{WS}"]["status"] == "pass"


def test_proxy_wants_basic_auth_and_none_is_given(lab: Lab) -> None:
    lab.block_direct()
    proxy = lab.start_squid(SquidSetup(users={USER: PASSWORD}))
    run = lab.run_sparkgui(lab.write_profile(HOSTS), env={"https_proxy": proxy})
    expect(run, "not_ready", failures={f"tcp:{h.name}:443": "proxy.auth_required" for h in HOSTS})
    for host in HOSTS:
        assert run.checks[f"tcp:{host.name}:443"]["evidence"]["auth_schemes"] == ["Basic"]
    skipped_after(run, *(f"tls:{h.name}" for h in HOSTS), f"ws:{WS}")


def test_proxy_refuses_wrong_credentials(lab: Lab) -> None:
    lab.block_direct()
    proxy = lab.start_squid(SquidSetup(users={USER: PASSWORD}))
    run = lab.run_sparkgui(
        lab.write_profile(HOSTS), "--proxy", proxy, "--proxy-user", USER, env={"SPARKGUI_PROXY_PASSWORD": "wrong"}
    )
    expect(run, "not_ready", failures={f"tcp:{h.name}:443": "proxy.auth_failed" for h in HOSTS})
    assert "wrong" not in str(run.report) and "wrong" not in run.stderr


def test_proxy_accepts_the_right_credentials(lab: Lab) -> None:
    lab.block_direct()
    proxy = lab.start_squid(SquidSetup(users={USER: PASSWORD}))
    run = lab.run_sparkgui(
        lab.write_profile(HOSTS), "--proxy", proxy, "--proxy-user", USER, env={"SPARKGUI_PROXY_PASSWORD": PASSWORD}
    )
    expect(run, "ready")
    for host in HOSTS:
        assert run.checks[f"tcp:{host.name}:443"]["evidence"]["auth_used"] == "Basic"
    assert PASSWORD not in str(run.report) and PASSWORD not in run.stderr
    assert "Proxy-Authorization" not in str(run.report)
    assert f"CONNECT {topo.PROBE_HOST.name}:443 {USER}" in tunnels(lab)  # squid logged the signed-in user


def test_proxy_denies_connect_to_one_platform_name(lab: Lab) -> None:
    denied = HOSTS[2].name
    lab.block_direct()
    proxy = lab.start_squid(SquidSetup(deny_connect=(denied,)))
    run = lab.run_sparkgui(lab.write_profile(HOSTS), env={"https_proxy": proxy})
    expect(run, "not_ready", failures={f"tcp:{denied}:443": "proxy.connect_denied"})
    assert run.checks[f"tcp:{denied}:443"]["evidence"]["proxy_status"].startswith("403")
    skipped_after(run, f"tls:{denied}", f"https:{denied}")


def test_pac_file_picks_the_proxy(lab: Lab) -> None:
    lab.block_direct()
    lab.start_squid(SquidSetup())
    pac = lab.serve_pac(
        "function FindProxyForURL(url, host) {\n"
        f'  if (dnsDomainIs(host, ".{topo.DOMAIN}")) return "PROXY {PROXY_ADDRESS}";\n'
        '  return "DIRECT";\n}\n'
    )
    run = lab.run_sparkgui(lab.write_profile(HOSTS), "--pac", pac)
    expect(run, "ready")
    for host in HOSTS:
        tcp = run.checks[f"tcp:{host.name}:443"]["evidence"]
        assert tcp["route"]["mode"] == "pac" and tcp["proxy"] == PROXY_ADDRESS, tcp
    assert run.report["environment"]["route"]["mode"] == "pac", run.report["environment"]
    assert "served proxy.pac" in lab.processes["pac"].output()


@pytest.mark.parametrize("how", ["squid stopped", "proxy host unreachable"])
def test_proxy_down(lab: Lab, how: str) -> None:
    if how == "proxy host unreachable":  # the proxy's address answers nothing at all: every SYN is dropped
        lab.block_direct(f'iifname "{topo.CLIENT.router_if}" ip daddr {topo.PROXY.v4_host} drop')
    else:  # the host is up, nothing listens on the proxy port: refused at once
        lab.block_direct()
    profile = lab.write_profile(HOSTS, timeouts={"connect": CONNECT_TIMEOUT})
    run = lab.run_sparkgui(profile, env={"https_proxy": f"http://{PROXY_ADDRESS}"})
    expect(run, "not_ready", failures={f"tcp:{h.name}:443": "proxy.unreachable" for h in HOSTS})
    assert run.report["duration_ms"] / 1000 <= CONNECT_TIMEOUT + 2, run.report["duration_ms"]
