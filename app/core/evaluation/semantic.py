"""How close two pieces of text are in meaning, from static word embeddings shipped in a package.

A rule can only see the words its authors thought of: "I'll dispute the transaction" answers
"a payment I never made" without sharing a word with it. WordLlama's 256-dimension embeddings
(MIT licence, 16 MB, inside the `wordllama` wheel) give each token a vector; a text is the mean
of its tokens' vectors, so comparing two texts is a dot product: microseconds, NumPy only.

The weights and tokenizer are read from the installed package, never downloaded. When the
package is missing the scorer falls back to word matching alone (`available()` says which).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]
WEIGHTS: Final = ("weights", "l2_supercat_256.safetensors")
TOKENIZER: Final = ("tokenizers", "l2_supercat_tokenizer_config.json")
_lock = threading.Lock()
_model: tuple[Any, Vector] | None = None
_missing = False
_enabled = True


def set_enabled(enabled: bool) -> None:
    """Switches the embeddings off (word matching alone) or back on, to compare the two."""
    global _enabled
    _enabled = enabled
    embed.cache_clear()


def _load() -> tuple[Any, Vector] | None:
    """The tokenizer and the embedding matrix, read once from the installed package."""
    global _model, _missing
    if not _enabled:
        return None
    with _lock:
        if _model is not None or _missing:
            return _model
        try:
            import wordllama
            from safetensors import safe_open
            from tokenizers import Tokenizer
        except ImportError:
            _missing = True
            return None
        root = Path(wordllama.__file__).parent
        weights, tokenizer_file = root.joinpath(*WEIGHTS), root.joinpath(*TOKENIZER)
        if not weights.is_file() or not tokenizer_file.is_file():
            _missing = True
            return None
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        with safe_open(str(weights), framework="np") as tensors:
            matrix = np.ascontiguousarray(tensors.get_tensor("embedding.weight"), np.float32)
        _model = (tokenizer, matrix)
        return _model


def available() -> bool:
    """True when the embeddings are installed and loaded (loading takes about half a second)."""
    return _load() is not None


def warm_up() -> None:
    """Loads the embeddings now, so the first scored reply does not wait for them."""
    _load()


@lru_cache(maxsize=4096)
def embed(text: str) -> Vector | None:
    """The unit-length meaning vector of a text; None for no words, or without the package."""
    model = _load()
    if model is None:
        return None
    tokenizer, matrix = model
    ids = tokenizer.encode(text.lower(), add_special_tokens=False).ids
    if not ids:
        return None
    vector: Vector = matrix[ids].mean(axis=0)
    norm = float(np.linalg.norm(vector))
    if norm == 0.0:
        return None
    return (vector / norm).astype(np.float32)


def similarity(first: str, second: str) -> float | None:
    """Cosine similarity in meaning, -1..1 (unrelated text is near 0); None without embeddings."""
    a, b = embed(first), embed(second)
    if a is None or b is None:
        return None
    return float(np.dot(a, b))
