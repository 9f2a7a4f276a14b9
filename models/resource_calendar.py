from bisect import bisect_right
from datetime import timedelta

from pytz import utc

from odoo import models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _csc_plan_hours_batch(self, requests):
        """For each (start, hours) of `requests`, the moment `hours` working hours after `start`
        (naive UTC datetimes, like `plan_hours`), reading the work intervals once for all."""
        self.ensure_one()
        if not requests:
            return []
        hours_per_day = self.hours_per_day or 8.0
        longest = max(hours for _start, hours in requests)
        begin = min(start for start, _hours in requests)
        end = max(start for start, _hours in requests) + timedelta(
            days=int(longest / hours_per_day * 7 / 5) + 15
        )
        intervals = self._work_intervals_batch(
            begin.replace(tzinfo=utc), end.replace(tzinfo=utc), compute_leaves=True
        )[False]
        spans = [
            (start.astimezone(utc).replace(tzinfo=None), stop.astimezone(utc).replace(tzinfo=None))
            for start, stop, _meta in intervals
        ]
        stops = [stop for _start, stop in spans]
        results = []
        for start, hours in requests:
            remaining = timedelta(hours=hours)
            result = False
            for span_start, span_stop in spans[bisect_right(stops, start) :]:
                span_start = max(span_start, start)
                if span_stop - span_start >= remaining:
                    result = span_start + remaining
                    break
                remaining -= span_stop - span_start
            results.append(result)
        return results
