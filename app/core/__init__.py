"""Pure-Python core: scenarios, dialogue, evaluation. No Qt, no audio libraries, no SQLite."""
