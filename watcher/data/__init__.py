"""Data files bundled with the watcher (the default sources)."""
