"""The early-warning model: one more signal, predicted from what the warehouse knew at the time."""
