"""Publishing: a workspace holds runs side by side; one is current, swapped in atomically."""
