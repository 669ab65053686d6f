"""One process against N, timed in the order one, N, N, one and averaged: a drift in the machine's
speed during the measurement (this shared VM's drifts by a fifth inside a run) then falls on both
alike, where one timing after the other could each meet another speed."""
from __future__ import annotations

from typing import Callable


def one_then_many(one: Callable[[], float], many: Callable[[], float]) -> tuple[float, float]:
    """The mean seconds of ``one()`` and of ``many()``, each called twice, in the order one, many,
    many, one (each call returns the seconds it took)."""
    first, second = one(), many()
    third, fourth = many(), one()
    return (first + fourth) / 2, (second + third) / 2
