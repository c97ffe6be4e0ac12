"""Closed accounts: every service refuses them, and stops its work for them.

The directory closes an account (`UserDeactivated`, in the closing transaction); each other
service records the closure in its own schema from that event (`subscription.py`). Every
process keeps the closed ids in memory (`closed_set.py`: loaded at start, kept current by
LISTEN/NOTIFY), so the check on each request (`guard.py`) costs a set look-up, not a query.
Work done for an account holds it open until it commits (`store.hold_open`), so it either
commits before the closure or sees it.
"""
