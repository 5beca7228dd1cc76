"""Empathy and composure of a trainee's reply, explained with quotes from it and tips."""

from app.core.evaluation.empathy import ConcernCues
from app.core.evaluation.result import Component, Evaluation
from app.core.evaluation.scorer import evaluate

__all__ = ["Component", "ConcernCues", "Evaluation", "evaluate"]
