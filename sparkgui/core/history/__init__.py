"""Every run remembered: the SQLite history and the comparison of two runs."""
