"""Package data: bundled profiles, translations, the report schema and UI assets."""
