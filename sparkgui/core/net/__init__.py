"""Network building blocks (DNS, TCP, TLS, proxies, WebSockets), each with a deadline and a classified outcome."""
