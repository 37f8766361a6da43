"""Hostile DNS servers: truncation with and without a TCP answer, answers with the wrong id or question,
garbage, refusals, alias loops and floods of records. Each ends in a named DNS cause within the DNS deadline,
and an answer that was never asked for is never believed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile import dns_peers as d
from tests.hostile.harness import hostile_profile, run_cli
from tests.servers.tls_servers import closed_port
from tests.support import Ep, run

CASES: dict[str, tuple[d.Answer, d.Answer | None, set[str]]] = {
    "truncated, then answered over TCP": (d.truncated, d.truthful, {"ok"}),
    "truncated, TCP refused": (d.truncated, None, {"dns.servfail", "dns.timeout"}),
    "truncated, TCP silent": (d.truncated, d.silent, {"dns.timeout"}),
    "truncated over TCP too": (d.truncated, d.truncated, {"dns.no_address"}),
    "wrong id": (d.wrong_id, None, {"dns.timeout"}),
    "wrong question": (d.wrong_question, None, {"dns.timeout", "dns.servfail"}),
    "garbage": (d.garbage_with_id, None, {"dns.timeout", "dns.servfail"}),
    "refused": (d.rcode(d.REFUSED), None, {"dns.servfail"}),
    "alias loop": (d.cname_loop, None, {"dns.servfail"}),
    "a 20-link alias chain": (d.long_cname_chain, None, {"ok"}),
    "a thousand records": (d.truncated, d.many_records, {"ok"}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_resolver_ends_in_a_named_dns_cause(case: str, tmp_path: Path) -> None:
    udp, tcp, causes = CASES[case]

    async def scenario() -> object:
        server = await d.HostileDns(udp, tcp).start()
        try:
            text = hostile_profile([Ep("app.test", closed_port())])
            return await run_cli(tmp_path / "run", text, server.port)
        finally:
            await server.stop()

    hostile = run(scenario())
    result = hostile.assert_well_behaved("dns:", causes)  # type: ignore[attr-defined]
    if causes == {"ok"}:
        kept = result["evidence"]["addresses"]
        assert kept and all(address.startswith("127.0.") for address in kept)
        if case == "a thousand records":
            assert len(kept) <= 16 and result["evidence"]["addresses_total"] == 1000  # a flood is counted, not kept
    else:
        assert result["status"] == "fail"
        assert hostile.result("tcp:")["cause"] == "skipped.prerequisite"  # type: ignore[attr-defined]
        if case == "alias loop":
            assert "CNAME" in result["evidence"]["queries"][0]["detail"]
