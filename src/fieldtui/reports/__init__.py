"""Reports over the store: the period summary the centre publishes, the monthly visit report
(走访信息月报) and the yearly ranking (评选).

Read-only SQL over the live rows (tombstoned rows, and link rows tombstoned, never count).
Each module returns plain data (JSON-ready dicts or dataclasses); rendering for people is the
command line's job.
"""
