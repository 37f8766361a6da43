"""Entry script for the frozen app (PyInstaller runs a script, not `-m sparkgui`)."""

from sparkgui.cli.main import main

raise SystemExit(main())
