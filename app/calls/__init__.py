"""Executors' shared half: running the `SessionMachine`'s commands on real (or test) engines.

The window, `practice`, `selftest` and `bench` differ only in how they present a call and on
which thread the voice work runs; the commands are executed here, once.
"""
