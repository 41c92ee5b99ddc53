"""The warehouse: an engine behind a small interface, canonical tables and derived views."""
