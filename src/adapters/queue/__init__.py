"""Dramatiq: the broker (Redis in production, in process by default) and the job queue."""
