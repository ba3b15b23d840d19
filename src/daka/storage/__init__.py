"""Storage adapter: SQLAlchemy Core over SQLite or PostgreSQL."""
