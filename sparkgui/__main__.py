"""`python -m sparkgui` runs the same entry point as the `sparkgui` command."""

from sparkgui.cli.main import main

raise SystemExit(main())
