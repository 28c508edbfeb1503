"""`selfcare history` and `selfcare export`: the journal from the command line.

`selfcare history [--json] [--since DATE]` prints one line per session: local date and time,
routine, how it ended, pain before → after; then (without --since) the trend since the first
session: sessions a week, time per side, pain per side. `--since` takes a date (2026-03-01) or a
number of days back including today (30d); sessions are matched by their local start date.

`--json` prints a list (oldest first) of objects with these keys, stable across versions (new
keys may be added, none renamed or removed):

    file               the entry's file name in the journal folder
    routine_id         routine id; routine_title: its title then; routine_format_version
    date               local start date, "YYYY-MM-DD"
    started_at         local start, ISO 8601 with offset ("2026-03-29T00:30:00+00:00")
    started_at_utc     the same instant in UTC ("2026-03-29T00:30:00Z")
    ended_at           local end with its own offset; ended_at_utc: in UTC
    duration_seconds   real elapsed time (right across daylight-saving changes)
    ending             "completed" | "quit" | "interrupted"; completed: true/false
    pain_before        0-10 or null; pain_after: 0-10 or null (the sorer side's, when
                       each side was scored apart)
    pain_by_side       {"before": {"left", "right"}, "after": {...}}: 0-10, or null where
                       the sides were not scored apart
    overall            "better" | "same" | "worse" | null
    easier_steps, harder_steps, sharp_pain_steps   lists of step indexes (0-based)
    sharp_pain         true/false, or null when the question was skipped
    practice           true for a run with --speed other than 1 (listed only with --practice)
    note               text ("" if none)
    seconds_by_side    {"left", "right", "both", "none"}: seconds spent
    tailoring          {"more_time": "left" | "right" | null, "only": same, "shorter": bool}
    resumed            how many times the session was resumed after being cut off
    steps              [{"index", "title", "side", "outcome", "seconds_planned",
                        "seconds_spent", "seconds_added", "ended_early"}]; outcome: done |
                       skipped | partial | not_reached; seconds_added: during the hold

`selfcare export [--since DATE] [--output FILE] [--force]` writes the Markdown summary for a
massage therapist or physician to stdout, or to FILE (mode 0600; an existing FILE is replaced only
with --force). Nothing is sent anywhere.

Files in the journal folder that cannot be read are listed as warnings on stderr and left as they
are; the exit code stays 0 unless the command itself failed (1) or was used wrongly (2).
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from selfcare_tui.command_line import ExitCode
from selfcare_tui.private_files import create_private, replace_private
from selfcare_tui.text import escaped, one_line

if TYPE_CHECKING:
    from selfcare_tui.journal.model import JournalHistory, SessionEntry

_DAYS_BACK = re.compile(r"^(\d{1,5})d$")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    history = subparsers.add_parser("history", help="list your past sessions")
    history.add_argument("--json", action="store_true", help="print JSON")
    _add_since(history)
    history.set_defaults(handler=show_history)

    export = subparsers.add_parser(
        "export", help="write a Markdown summary to bring to a massage therapist or physician"
    )
    _add_since(export)
    export.add_argument(
        "--output", "-o", metavar="FILE", type=Path, help="write to FILE (default: stdout)"
    )
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    export.set_defaults(handler=export_summary)


def _add_since(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--practice",
        action="store_true",
        help="also include practice runs (played with --speed other than 1)",
    )
    parser.add_argument(
        "--since",
        metavar="DATE",
        help="only sessions from DATE (YYYY-MM-DD), or from N days back (e.g. 30d)",
    )


def parse_since(text: str, today: date) -> date:
    """A --since value: an ISO date, or "Nd" for the last N days including today."""
    match = _DAYS_BACK.match(text.strip())
    if match:
        days = int(match.group(1))
        if days < 1:
            raise ValueError("--since: the number of days must be at least 1")
        return today - timedelta(days=days - 1)
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"--since: expected a date like 2026-03-01 or a number of days like 30d, not {text!r}"
        ) from None


def show_history(args: argparse.Namespace) -> int:
    if args.json:
        return _print_listing(args)
    history = _load(args)
    if isinstance(history, int):
        return history
    if not history.entries:
        print("No sessions in your journal yet." if not args.since else "No sessions since then.")
        if history.practice_left_out:
            print(f"({practice_words(history.practice_left_out)})")
        return ExitCode.OK
    sys.stdout.write("\n".join(_table(history.entries)) + "\n")
    if history.practice_left_out:
        print(f"\n({practice_words(history.practice_left_out)})")
    if not args.since:  # the trend is since the first session, not since a chosen day
        from selfcare_tui.journal.history import facts_of, since_first_summary

        print(f"\n{since_first_summary(facts_of(history.entries), date.today())}")
    return ExitCode.OK


def export_summary(args: argparse.Namespace) -> int:
    from selfcare_tui.journal.history import export_markdown

    history = _load(args)
    if isinstance(history, int):
        return history
    since = parse_since(args.since, date.today()) if args.since is not None else None
    text = export_markdown(history.entries, since=since, today=date.today())
    if args.output is None or str(args.output) == "-":
        sys.stdout.write(text)
        return ExitCode.OK
    if args.output.is_dir():
        print(
            f"selfcare: {args.output} is a folder; give a file name for the summary",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    try:
        write_private(args.output, text, force=args.force)
    except FileExistsError:
        print(
            f"selfcare: {args.output} exists; use --force to replace it, or pick another name",
            file=sys.stderr,
        )
        return ExitCode.PROBLEM
    except OSError as error:
        print(f"selfcare: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return ExitCode.PROBLEM
    print(f"Wrote {args.output} (only you can read it; share it as you choose).", file=sys.stderr)
    return ExitCode.OK


def write_private(path: Path, text: str, force: bool = False) -> None:
    """Write `text` to `path` with mode 0600, atomically; replace a file only if `force`."""
    data = text.encode("utf-8")
    if force:
        replace_private(path, data)
    else:
        create_private(path, data)


def _print_listing(args: argparse.Namespace) -> int:
    """`history --json`, streamed from the journal's index: one entry at a time, whatever the
    journal's size (oldest first, ASCII only, one entry a line)."""
    from selfcare_tui.journal.store import Journal

    since = _since(args)
    if isinstance(since, int):
        return since
    try:
        with Journal().reading() as index:
            if index is None:
                sys.stdout.write("[]\n")
                return ExitCode.OK
            _warn([(index.folder / name, why) for name, why in index.problems()])
            batches = (lines for lines in index.listings(since, practice=args.practice) if lines)
            first = next(batches, None)
            if first is None:
                sys.stdout.write("[]\n")
                return ExitCode.OK
            sys.stdout.flush()
            out = sys.stdout.buffer  # the lines are ASCII bytes as the index holds them
            out.write(b"[\n  ")
            out.write(b",\n  ".join(first))
            for lines in batches:  # a batch of lines a write
                out.write(b",\n  ")
                out.write(b",\n  ".join(lines))
            out.write(b"\n]\n")
            out.flush()
    except sqlite3.DatabaseError as error:
        from selfcare_tui.journal.index import discard
        from selfcare_tui.private_db import is_busy

        if is_busy(error):
            print("\nselfcare: the journal is being written by another selfcare: run again",
                  file=sys.stderr)  # fmt: skip
        else:
            discard(Journal().folder)
            print("\nselfcare: the journal's index was damaged and is made afresh: run again",
                  file=sys.stderr)  # fmt: skip
        return ExitCode.PROBLEM
    except BrokenPipeError:
        raise  # the reader (`head`...) has had enough: the command line leaves quietly
    except OSError as error:
        print(f"selfcare: cannot read the journal: {error}", file=sys.stderr)
        return ExitCode.PROBLEM
    return ExitCode.OK


def _since(args: argparse.Namespace) -> date | int | None:
    """--since as a date, None without it, or the exit code after explaining a bad one."""
    if args.since is None:
        return None
    try:
        return parse_since(args.since, date.today())
    except ValueError as error:
        print(f"selfcare: {error}", file=sys.stderr)
        return ExitCode.USAGE


def _warn(problems: list[tuple[Path, str]]) -> None:
    for path, message in problems:
        print(
            f"selfcare: warning: {escaped(str(path))}: {message} (left as it is)", file=sys.stderr
        )


def _load(args: argparse.Namespace) -> JournalHistory | int:
    """The journal since --since, after warning about unreadable files; or the exit code."""
    from selfcare_tui.journal.store import Journal

    since = _since(args)
    if isinstance(since, int):
        return since
    try:
        history = Journal().load_all(since=since)
    except OSError as error:
        print(f"selfcare: cannot read the journal: {error}", file=sys.stderr)
        return ExitCode.PROBLEM
    _warn(history.problems)
    return history if args.practice else without_practice(history)


def without_practice(history: JournalHistory) -> JournalHistory:
    """Real sessions only: a run with --speed is a demo or a test, not a session to count."""
    from dataclasses import replace

    kept = [(e, n) for e, n in zip(history.entries, history.names, strict=True) if not e.practice]
    left_out = len(history.entries) - len(kept)
    return replace(
        history,
        entries=[e for e, _ in kept],
        names=[n for _, n in kept],
        practice_left_out=left_out,
    )


def practice_words(count: int) -> str:
    return f"{count} practice run{'s' * (count != 1)} with --speed left out: add --practice"


def _table(entries: list[SessionEntry]) -> list[str]:
    from selfcare_tui.vocabulary import ending_words, pain_pair

    rows = [("Date", "Routine", "Ended", "Pain before to after")]
    for entry in entries:
        before, after = entry.reflection.pain_before, entry.reflection.pain_after
        pain = "" if before is None and after is None else pain_pair(before, after, " to ")
        when = entry.started_at.strftime("%Y-%m-%d %H:%M")
        rows.append((when, one_line(entry.routine_title), ending_words(entry.ending), pain))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    ]
