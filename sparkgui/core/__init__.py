"""The Qt-free engine: model, profiles, planner, runner, checks and reports.

Nothing below this package may import Qt: the CLI, the GUI and the tests all run it as is.
"""
