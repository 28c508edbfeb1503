"""Which utterance to say next: a small priority queue with a stale check at dequeue.

Pure and clock-injected so the rules are tested without threads:
- status (the `s` key) before instructions before cues; first come, first served within a kind;
- one utterance at a time: nothing is taken while one is in progress, so a cue that would
  collide with an instruction waits for it to finish and never cuts it off;
- an utterance past its `stale_after` when its turn comes is dropped, not said late;
- a new instruction drops the cues still queued: they were about the moment it replaces.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, field

from selfcare_tui.speech.model import Utterance, UtteranceKind

_PRIORITY: dict[UtteranceKind, int] = {
    UtteranceKind.STATUS: 0,
    UtteranceKind.INSTRUCTION: 1,
    UtteranceKind.CUE: 2,
}


@dataclass(frozen=True, slots=True)
class Turn:
    """The result of `Scheduler.take()`."""

    utterance: Utterance | None
    """What to say now, or None when something is in progress or nothing is queued."""
    dropped: tuple[Utterance, ...] = ()
    """Stale utterances passed over on the way."""


@dataclass
class Scheduler:
    clock: Callable[[], float]
    _heap: list[tuple[int, int, Utterance]] = field(default_factory=list)
    _current: Utterance | None = None

    @property
    def current(self) -> Utterance | None:
        """The utterance being said, from `take()` until `finish()`."""
        return self._current

    def __len__(self) -> int:
        return len(self._heap)

    def push(self, utterance: Utterance) -> list[Utterance]:
        """Queue `utterance`; returns the queued cues it replaced (to report as dropped)."""
        replaced = self._remove_cues() if utterance.kind is UtteranceKind.INSTRUCTION else []
        heapq.heappush(self._heap, (_PRIORITY[utterance.kind], utterance.id, utterance))
        return replaced

    def take(self) -> Turn:
        """The next utterance to say, unless one is still in progress."""
        if self._current is not None:
            return Turn(None)
        now = self.clock()
        dropped: list[Utterance] = []
        while self._heap:
            utterance = heapq.heappop(self._heap)[2]
            if utterance.is_stale(now):
                dropped.append(utterance)
                continue
            self._current = utterance
            return Turn(utterance, tuple(dropped))
        return Turn(None, tuple(dropped))

    def finish(self) -> None:
        """The current utterance is over (spoken, interrupted or failed)."""
        self._current = None

    def clear(self) -> list[Utterance]:
        """Empty the queue (not the current one); returns what was queued, in order."""
        queued = [entry[2] for entry in sorted(self._heap)]
        self._heap.clear()
        return queued

    def _remove_cues(self) -> list[Utterance]:
        cues = [entry for entry in self._heap if entry[2].kind is UtteranceKind.CUE]
        if cues:
            self._heap = [entry for entry in self._heap if entry[2].kind is not UtteranceKind.CUE]
            heapq.heapify(self._heap)
        return [entry[2] for entry in sorted(cues)]
