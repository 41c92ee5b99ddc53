"""What people decide about what Probity surfaced: reviews and their outcomes."""
