"""The catalogue of detectors: every module in this package that defines `DETECTOR`.

Adding a detector is adding one module; nothing here changes.
"""

from __future__ import annotations

import importlib
import pkgutil

import probity.detectors as package
from probity.detectors.base import Detector
from probity.detectors.carry import DayLocal

_FRAMEWORK = {"base", "carry", "registry", "catalogue", "peers", "lookup_purpose", "null_model"}


def all_detectors() -> list[Detector]:
    found = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name in _FRAMEWORK:
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        detector = getattr(module, "DETECTOR", None)
        if isinstance(detector, Detector):
            found.append(detector)
    names = [d.name for d in found]
    if len(names) != len(set(names)):
        raise RuntimeError(f"two detectors share a name: {sorted(names)}")
    return sorted(found, key=lambda d: (d.concern, d.name))


def detector(name: str) -> Detector:
    for d in all_detectors():
        if d.name == name:
            return d
    raise KeyError(name)


def day_local_detectors() -> list[tuple[str, DayLocal]]:
    """The detectors that find evidence day by day (`carry.py`), with how."""
    return [(d.name, d.day_local) for d in all_detectors() if d.day_local is not None]
