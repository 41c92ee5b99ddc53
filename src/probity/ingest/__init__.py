"""Ingest: read an exports folder, validate every row in the engine, quarantine with reasons."""
