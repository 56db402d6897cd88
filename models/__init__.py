"""Storage: SQLModel tables, the engine and its migrations, and the queries flows and commands share.

Only this package talks to the database.
"""
