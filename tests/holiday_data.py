"""Holiday calendars for the tests.

``FICTIONAL_2027`` is TEST DATA, made up for the tests: it is NOT the State Council's 2027
arrangement (not announced when it was written). Its dates are plausible (the Spring Festival
of 2027 is on 6 February) so that the tests read naturally; its ``source`` says what it is.
"""

from __future__ import annotations

import copy
from typing import Any

FICTIONAL_SOURCE = "TEST DATA: a fictional 2027 calendar, not the State Council's arrangement"

FICTIONAL_2027: dict[str, Any] = {
    "year": 2027,
    "source": FICTIONAL_SOURCE,
    "holidays": [
        {"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
        {"name": "春节", "from": "2027-02-06", "to": "2027-02-13"},
        {"name": "清明节", "from": "2027-04-03", "to": "2027-04-05"},
        {"name": "劳动节", "from": "2027-05-01", "to": "2027-05-05"},
        {"name": "端午节", "from": "2027-06-09", "to": "2027-06-11"},
        {"name": "中秋节", "from": "2027-09-15", "to": "2027-09-17"},
        {"name": "国庆节", "from": "2027-10-01", "to": "2027-10-07"},
    ],
    "makeup_workdays": [
        {"name": "春节", "date": "2027-02-14"},
        {"name": "劳动节", "date": "2027-04-25"},
        {"name": "国庆节", "date": "2027-09-26"},
        {"name": "国庆节", "date": "2027-10-09"},
    ],
}


def fictional_2027(**changes: Any) -> dict[str, Any]:
    """A copy of :data:`FICTIONAL_2027`, with top-level fields replaced."""
    body = copy.deepcopy(FICTIONAL_2027)
    body.update(changes)
    return body
