"""SQLite with a queue for writers: see base.py."""
