"""Ranking: signals become queue entries per purpose."""
