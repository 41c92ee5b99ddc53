"""Identity resolution: tie every record that names a person to that person.

Deterministic rules run first (this package); probabilistic models per task slot in after
them and only see what the rules left unlinked. Every link carries its method and a match
probability (1.0 for a deterministic rule).
"""
