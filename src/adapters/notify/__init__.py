"""Notifications leaving the system: email over SMTP and webhook calls over HTTP."""
