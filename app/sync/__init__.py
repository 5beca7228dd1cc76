"""Bringing histories together: identities, bundles for offline branches, the central store.

Uses app.storage and app.core; nothing below app.gui imports this package.
"""
