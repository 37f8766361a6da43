"""The `sparkgui` command: its options, the headless run in a terminal, and the launch of the window."""
