"""Probity: surfaces, explains and records; people decide."""
