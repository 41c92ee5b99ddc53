"""Fairness: how flag rates differ by protected group, measured on every run."""
