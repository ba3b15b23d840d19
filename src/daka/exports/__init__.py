"""Exports of the day and month reports: xlsx in WeCom's layouts, CSV for machines.

One column definition (:mod:`daka.exports.daily`, :mod:`daka.exports.monthly`) feeds both
writers, and both modes of
``daka report`` (the local database, or a daka/WeCom server through the SDK) feed the writers
the same typed models (:class:`daka.client.DayReport`, :class:`daka.client.MonthReport`).
Rows are generators end to end, so memory stays flat however many people are exported.
"""

from daka.exports.layouts import Frame, LeaveType, PersonDay, PersonMonth

__all__ = ["Frame", "LeaveType", "PersonDay", "PersonMonth"]
