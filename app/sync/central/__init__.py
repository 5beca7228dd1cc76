"""The central PostgreSQL store: its schema, connecting to it, syncing with it, reading it."""
