"""``python -m argmap``."""

from argmap.entry import main

main()
