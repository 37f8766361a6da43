"""sparkgui: checks that a venue's network is ready for a live audience-interaction platform."""

__version__ = "0.4.0"
