"""Empathy and composure of a trainee's reply, explained with quotes from it and tips."""

from app.core.evaluation.concerns import ConcernCues
from app.core.evaluation.debrief import CallDebrief, debrief
from app.core.evaluation.result import Component, Evaluation
from app.core.evaluation.scorer import evaluate

__all__ = ["CallDebrief", "Component", "ConcernCues", "Evaluation", "debrief", "evaluate"]
