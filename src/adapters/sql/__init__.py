"""The SQL adapter: SQLAlchemy Core tables, repositories, the unit of work and migrations.

SQLite (a file, by default under the user's data directory) for the embedded mode and
PostgreSQL (by DSN) for production, behind the same repositories and the same tests.
"""

from adapters.sql.engine import create_engine_for, database_url, default_database_path
from adapters.sql.migrate import current, downgrade, upgrade
from adapters.sql.schema import metadata
from adapters.sql.unit_of_work import SqlUnitOfWork

__all__ = [
    "SqlUnitOfWork",
    "create_engine_for",
    "current",
    "database_url",
    "default_database_path",
    "downgrade",
    "metadata",
    "upgrade",
]
