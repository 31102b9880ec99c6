"""``python -m argmap``."""

from argmap.entry import console

console()
