"""Controllers: what the window does (run, exports, profile and demo, proxy), each over plain views."""
