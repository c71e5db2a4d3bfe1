"""Progress output for long work: a live bar on a terminal, silence otherwise."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any


class Progress:
    """A context manager counting units of work on stderr.

    Shows nothing when stderr is not a terminal or ``quiet`` is set, so piped and
    JSON output stay clean. ``total`` may be unknown (None): then it counts up.
    """

    def __init__(self, description: str, total: int | None = None, quiet: bool = False) -> None:
        self.description = description
        self.total = total
        self.enabled = not quiet and sys.stderr.isatty()
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as RichProgress

            # stderr, the stream checked above: stdout may be a file or a pipe of results
            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                transient=True,
                console=Console(stderr=True),
            )
            self._bar.__enter__()
            self._task = self._bar.add_task(self.description, total=self.total)
        return self

    def advance(self, amount: int = 1) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, amount)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)


class StagedProgress:
    """Progress through named stages, one bar each, whose totals are learned as they go.

    Called as ``progress(stage, done, total)`` (what a column scan reports after each
    page); a new stage closes the bar of the one before. Use it as a context manager so
    the last bar closes; quiet as :class:`Progress` is.
    """

    def __init__(self, description: str, quiet: bool = False) -> None:
        self.description = description
        self.quiet = quiet
        self._stage: str | None = None
        self._bar: Progress | None = None
        self._done = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self._close()
            self._stage, self._done = stage, 0
            self._bar = Progress(f"{self.description}: {stage}", total, self.quiet).__enter__()
        if self._bar is not None and done > self._done:
            # a transaction tried again counts from zero: only new rows move the bar
            self._bar.advance(done - self._done)
            self._done = done

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __enter__(self) -> StagedProgress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._close()
