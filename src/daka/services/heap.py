"""The cyclic garbage collector, tuned for processes that hold large, long-lived corp views.

A corp's view (its directory and rules) is hundreds of thousands of objects for 10,000
people and lives as long as the corp's revision, while a report call allocates hundreds of
thousands of short-lived ones (punches, rows, day reports). With CPython's default
thresholds the objects of the call in progress are promoted to the oldest generation, and
each of the frequent full collections then walks the whole heap, the view included: a
quarter to a third of a month report's CPU time, measured on 10,000 people. So:

- a process that serves (``daka serve``, its report workers, ``daka report``) calls
  :func:`tune_collector` once at start: a young generation of 20,000 objects instead of 700,
  so that a call's short-lived objects die young, and fewer full collections;
- once a large view is loaded, :func:`settle` collects and then freezes what is alive into
  the permanent generation, out of the collector's sight. Frozen objects are still freed
  by reference counting when the view is replaced; only a reference cycle among them would
  stay, and the collection just before the freeze leaves none among the garbage.
"""

from __future__ import annotations

import gc

YOUNG = 20_000  # allocations before a young collection (CPython's default is 700)
MIDDLE = 50  # young collections before a middle one (default 10)
OLD = 100  # middle collections before a full one may run (default 10)

LARGE_VIEW = 1_000  # people in a corp view worth a settle()


def tune_collector() -> None:
    """Thresholds for a process that allocates in large, short-lived batches."""
    gc.set_threshold(YOUNG, MIDDLE, OLD)


def settle() -> None:
    """Collect once, then keep everything alive now out of later collections' walk."""
    gc.collect()
    gc.freeze()
