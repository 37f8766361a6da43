"""The session layer both front ends use: how a run is asked for, and its outcome, computed once.

The window and the CLI build a `RunRequest` (profile, network choice, demo scenario, hold policy), execute
a `Session`, and read the `SessionOutcome`: its problems, counts, verdict sentence, JSON report and Copy for
IT text. Qt-free, like the core it sits on.
"""
