"""Measuring the queue against planted ground truth, and against a threshold baseline."""
