"""The writes the turn loop needs: a call started, each turn saved as it ends, the call ended.

Every write is committed before the method returns, so a crash loses at most the turn in progress.
A session's averages and turn count are kept up to date with each saved turn, so a session that
was never finished (the app was closed or crashed) still shows what was saved.
"""

from __future__ import annotations

from app.storage import live_calls
from app.storage.database import sqlite_errors_explained, write_transaction
from app.storage.migrations import CALL_AVERAGES, ENDINGS
from app.storage.records import TurnRecord, row_id, trainee_name, turn_row, utc_now
from app.storage.store_base import StoreBase


class CallWriter(StoreBase):
    def trainee_id(self, name: str) -> int:
        """The trainee's id, adding them on first use. Names match regardless of case."""
        name = trainee_name(name)
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            return self._trainee_id(name)

    def start_session(
        self,
        trainee: str,
        scenario_id: str,
        scenario_title: str,
        difficulty: str,
        starting_trust: int,
    ) -> int:
        """Record the start of a call and return its session id."""
        name = trainee_name(trainee)
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            table = self.db.table("sessions").insert(
                {
                    "trainee_id": self._trainee_id(name),
                    "scenario_id": scenario_id,
                    "scenario_title": scenario_title,
                    "difficulty": difficulty,
                    "started_at": utc_now(),
                    "starting_trust": starting_trust,
                }
            )
            session_id = row_id(table)
        live_calls.hold(self.path, session_id)
        return session_id

    def save_turn(self, session_id: int, turn: TurnRecord) -> int:
        """Store a turn and update the session's totals; committed when this returns."""
        row = turn_row(session_id, turn)
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            session = self._session(session_id)
            if session.ending is not None:
                raise ValueError(f"session {session_id} has already ended ({session.ending})")
            duplicate = self.db.execute(
                "SELECT 1 FROM turns WHERE session_id = ? AND number = ? AND attempt = ?",
                [session_id, turn.number, turn.attempt],
            ).fetchone()
            if duplicate:
                raise ValueError(
                    f"session {session_id} already has attempt {turn.attempt} of turn {turn.number}"
                )
            # A new attempt replaces the earlier ones, which are kept for the debrief.
            self.db.execute(
                "UPDATE turns SET superseded = 1 WHERE session_id = ? AND number = ?",
                [session_id, turn.number],
            )
            turn_id = row_id(self.db.table("turns").insert(row))
            self._refresh_totals(session_id)
            return turn_id

    def finish_session(self, session_id: int, ending: str, final_trust: int) -> None:
        """Mark the call as over; its averages and turn count come from its saved turns."""
        if ending not in ENDINGS:
            raise ValueError(f"unknown ending {ending!r}: expected one of {', '.join(ENDINGS)}")
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            session = self._session(session_id)
            if session.ending is not None:
                raise ValueError(f"session {session_id} has already ended ({session.ending})")
            self._refresh_totals(session_id)
            self.db.execute(
                "UPDATE sessions SET ending = ?, final_trust = ?, ended_at = ? WHERE id = ?",
                [ending, final_trust, utc_now(), session_id],
            )
        live_calls.release(self.path, session_id)

    def set_response_gap(self, session_id: int, number: int, gap_ms: float) -> None:
        """The silence before the customer answered this turn, known only once they did."""
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            self.db.execute(
                "UPDATE turns SET response_gap_ms = ? "
                "WHERE session_id = ? AND number = ? AND superseded = 0",
                [gap_ms, session_id, number],
            )

    def reopen_session(self, session_id: int) -> None:
        """The trainee took back the answer that ended the call: it is in progress again."""
        with sqlite_errors_explained(self.db), write_transaction(self.db):
            self._session(session_id)
            self.db.execute(
                "UPDATE sessions SET ending = NULL, final_trust = NULL, ended_at = NULL "
                "WHERE id = ?",
                [session_id],
            )
        live_calls.hold(self.path, session_id)

    def _refresh_totals(self, session_id: int) -> None:
        self.db.execute(
            """
            UPDATE sessions SET
                empathy = (SELECT avg(empathy) FROM turns
                           WHERE session_id = sessions.id AND superseded = 0),
                composure = (SELECT avg(composure) FROM turns
                             WHERE session_id = sessions.id AND superseded = 0),
                turn_count = (SELECT count(*) FROM turns
                              WHERE session_id = sessions.id AND superseded = 0),
            """
            + CALL_AVERAGES
            + " WHERE id = ?",
            [session_id],
        )
