"""`skeptic practice`'s side of a call: the customer's lines, the trainee's replies and the
feedback as lines of text; replies and confirmations read from the keyboard."""

from __future__ import annotations

import sys
from collections.abc import Callable

from app.core.call_events import (
    EndRequested,
    Event,
    HintRequested,
    Phase,
    RepeatRequested,
    ReplyTyped,
    RetryRequested,
    ShowNote,
    TranscriptConfirmed,
)
from app.core.debrief import Debrief
from app.core.dialogue import CustomerLine
from app.core.reply import HeardReply
from app.core.scenario import Scenario
from app.core.session import CallSummary, CompletedTurn
from app.core.transcript import LOW_WORD_PROBABILITY

END_COMMAND = "/end"
# The window's actions, typed at the reply prompt.
COMMANDS: dict[str, Callable[[], Event]] = {
    "/hint": HintRequested,
    "/repeat": RepeatRequested,
    "/retry": RetryRequested,
    END_COMMAND: EndRequested,
}
COMMANDS_HELP = "/hint, /repeat (the last line), /retry (try that answer again), /end"


class TerminalPresenter:
    """Prints the call; what the trainee types is posted back as events."""

    def __init__(self, scenario: Scenario, read: Callable[[str], str] = input) -> None:
        self.scenario = scenario
        self._read = read
        self.post: Callable[[Event], None] = lambda _event: None
        self.summary: CallSummary | None = None
        # A command typed at the prompt is handled once the prompt's batch is done; if the
        # call is then still waiting for a typed reply (a hint was shown), the prompt comes back.
        self._command: str | None = None
        self._command_stage = ""
        self._command_showed = False

    def show_phase(self, phase: Phase) -> None:
        if phase is Phase.OPENING_MICROPHONE:
            print("(listening...)", flush=True)
        if self._command_stage == "posted":
            self._command_stage = "handling"  # the prompt's own batch; the command comes next
        elif self._command_stage == "handling":
            command, self._command, self._command_stage = self._command, None, ""
            if phase is Phase.TYPING:
                if not self._command_showed:
                    print(f"({command} cannot be used now.)")
                self.ask_for_typed_reply()
                if self._command_stage == "posted":  # asked from here: this was its batch
                    self._command_stage = "handling"

    def show_line(self, line: CustomerLine, again: bool) -> None:
        self._command_showed = True
        print(f"{self.scenario.persona.name} ({line.mood}): {line.text}", flush=True)

    def line_spoken(self, first_sound_at: float | None) -> None:
        return None

    def show_level(self, level: float) -> None:
        return None

    def ask_for_typed_reply(self) -> None:
        self._command, self._command_stage = None, ""
        while True:
            typed = self._line("You: ")
            if typed is None:
                self.post(EndRequested())
                return
            if typed.startswith("/"):
                word = typed.split()[0].lower()
                if word in COMMANDS:
                    self._command, self._command_stage = word, "posted"
                    self._command_showed = False
                    self.post(COMMANDS[word]())
                    return
                print(f"(unknown command {word}: type a reply, or {COMMANDS_HELP})")
            elif typed:
                self.post(ReplyTyped(typed))
                return
            else:
                print(f"(Nothing was typed: type a reply, or {COMMANDS_HELP}.)")

    def ask_to_confirm(self, reply: HeardReply) -> None:
        """The recogniser was unsure: the trainee fixes the words before they are scored, as
        in the window, so a misheard word is never graded as the trainee's mistake."""
        marked = " ".join(
            f"[{word.text.strip()}]" if word.probability < LOW_WORD_PROBABILITY else word.text
            for word in reply.transcript.words
        )
        print(f"Heard (unsure of the words in brackets): {marked or reply.transcript.text}")
        typed = self._line("Press Enter to keep it, or type what you said: ")
        if typed is None or typed == END_COMMAND:
            self.post(EndRequested())
        else:
            self.post(TranscriptConfirmed(typed))

    def show_feedback(self, turn: CompletedTurn) -> None:
        transcript = turn.transcript
        if transcript.engine != "typed":
            corrected = transcript.original_text not in (None, transcript.text)
            print(f"You: {transcript.text}" + ("  (corrected)" if corrected else ""))
        evaluation = turn.evaluation
        print(
            f"   empathy {evaluation.empathy}  composure {evaluation.composure}  "
            f"trust {turn.outcome.trust_before} -> {turn.outcome.trust_after}"
        )
        for quote in evaluation.evidence[:2]:
            print(f"   + {quote}")
        if evaluation.tips:
            print(f"   tip: {evaluation.tips[0]}")
        print(flush=True)

    def show_hint(self, title: str, text: str) -> None:
        self._command_showed = True
        print(f"{title}: {text}")

    def show_note(self, note: ShowNote) -> None:
        self._command_showed = True
        print(f"({note.text})", flush=True)

    def call_finished(self, debrief: Debrief, can_retry: bool) -> None:
        self.summary = debrief.summary

    def _line(self, prompt: str) -> str | None:
        """A line from the keyboard; None when the input has ended."""
        try:
            typed = self._read(prompt).strip()
        except EOFError:
            return None
        if not sys.stdin.isatty():
            print()  # replies piped in are not echoed: end the prompt's line
        return typed
