"""Reports on the practice history: progress over time, proficiency, strengths, exports.

Pure Python over app.storage reads; the window draws charts and PDF reports from these objects.
"""

from app.history.export import EXPORT_FORMATS, write_csv, write_json
from app.history.proficiency import Proficiency, recency_weighted
from app.history.progress import MEASURES, ProgressSeries, progress_series
from app.history.reports import CallReport, TraineeReport, call_report, trainee_report
from app.history.standing import SkillStanding, TraineeStanding, trainee_standing

__all__ = [
    "EXPORT_FORMATS",
    "MEASURES",
    "CallReport",
    "Proficiency",
    "ProgressSeries",
    "SkillStanding",
    "TraineeReport",
    "TraineeStanding",
    "call_report",
    "progress_series",
    "recency_weighted",
    "trainee_report",
    "trainee_standing",
    "write_csv",
    "write_json",
]
