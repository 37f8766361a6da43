"""Demo mode: the whole experience offline, for sales and training, clearly marked as a demo.

The real engine runs against a simulated venue on loopback (a DNS server, HTTPS servers with a demo CA,
relays that add latency, faults chosen by the scenario), so the demo shows the product's real diagnoses.
"""
