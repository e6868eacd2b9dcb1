"""Writes of the service desk, by topic: requests (report, route, transitions) and care
(feedback, checks, escalation, incidents, assets)."""
