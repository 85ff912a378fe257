"""The demo of the embedded default: a tenant with people, a champion and weeks of cases."""

from entrypoints.demo.people import DEMO_LOGINS, DemoLogin, DemoLogins
from entrypoints.demo.seed import DEFAULT_APPLICATIONS, seed_demo

__all__ = ["DEFAULT_APPLICATIONS", "DEMO_LOGINS", "DemoLogin", "DemoLogins", "seed_demo"]
