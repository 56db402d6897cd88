"""Settings and the data files a user edits: bodies, assignment rules, schedule policy."""

from pathlib import Path

CONFIG_DIR = Path(__file__).resolve().parent
"""Where the bundled configuration files live (edit them here, or point settings elsewhere)."""
