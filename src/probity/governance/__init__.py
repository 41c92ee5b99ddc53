"""Governance: pseudonyms, reveals with reasons, and the hash-chained audit log."""
