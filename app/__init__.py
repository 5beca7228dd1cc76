"""Skeptic: a desktop role-play trainer with a suspicious customer, offline."""

__version__ = "0.1.0"
