"""Detectors: one module per typology. Each declares what it reads, the concern and purpose it
serves, its thresholds and its innocent explanations, and gives evidence rows and a reason
sentence a reviewer can check. `registry.py` finds them."""
