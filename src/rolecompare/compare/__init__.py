"""Pure functions from a KB to reports: rows of cells, one cell per role; nothing prints."""
