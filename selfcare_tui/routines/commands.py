"""`selfcare list`, `show`, `validate` and `new`: routines from the command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from selfcare_tui.command_line import ExitCode, add_routines_option, routine_dirs
from selfcare_tui.routines.library import Entry, FolderError, Library, discover
from selfcare_tui.routines.loader import ID_PATTERN, MAX_ID_LENGTH, load_routine
from selfcare_tui.routines.model import Routine, Side, Step
from selfcare_tui.routines.problems import Problem, RoutineError
from selfcare_tui.text import escaped
from selfcare_tui.vocabulary import duration_text


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = subparsers.add_parser("list", help="list the routines you can follow")
    add_routines_option(listing)
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=list_routines)

    show = subparsers.add_parser("show", help="show a routine's steps exactly as they will play")
    show.add_argument("id", metavar="ID")
    add_routines_option(show)
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(handler=show_routine)

    validate = subparsers.add_parser("validate", help="check routine files (files or folders)")
    validate.add_argument("paths", metavar="PATH", nargs="+", type=Path)
    validate.set_defaults(handler=validate_paths)

    new = subparsers.add_parser("new", help="write a starter routine into your routines folder")
    new.add_argument("id", metavar="ID", help="the new routine's id, e.g. my-morning")
    new.set_defaults(handler=new_routine)


def load_library(args: argparse.Namespace) -> Library | None:
    """The routines for this command, or None after explaining a bad --routines folder."""
    try:
        library = discover(routine_dirs(args))
    except FolderError as error:
        print(f"selfcare: {error}", file=sys.stderr)
        return None
    for warning in library.warnings:
        print(f"selfcare: warning: {warning}", file=sys.stderr)
    return library


def list_routines(args: argparse.Namespace) -> int:
    library = load_library(args)
    if library is None:
        return ExitCode.USAGE
    if args.json:
        print(json.dumps([_entry_json(entry) for entry in library.entries], indent=2))
    elif not library.entries:
        print(f"No routines found. Put .toml routines in {_user_dir()} or run 'selfcare new ID'.")
    else:
        print("\n".join(_entry_table(library.entries)))
    return ExitCode.OK


def _entry_json(entry: Entry) -> dict[str, Any]:
    routine = entry.routine
    return {
        "id": entry.id,
        "title": routine.title if routine else None,
        "minutes": routine.minutes if routine else None,
        "total_seconds": routine.total_seconds if routine else None,
        "source": entry.source_label,
        "path": str(entry.path),
        "status": "ok" if entry.ok else "broken",
        "error": str(entry.error) if entry.error else None,
        "overrides": str(entry.overrides) if entry.overrides else None,
    }


def _entry_table(entries: tuple[Entry, ...]) -> Iterator[str]:
    rows = [("ID", "TITLE", "MIN", "SOURCE", "STATUS")]
    for entry in entries:
        routine = entry.routine
        status = "ok" if entry.error is None else f"broken: {entry.error.summary}"
        if entry.overrides:
            status += f" (overrides {escaped(str(entry.overrides))})"
        title, minutes = (routine.title, str(routine.minutes)) if routine else ("?", "-")
        rows.append((escaped(entry.id), title, minutes, entry.source_label, status))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].rjust(widths[2])]
        yield "  ".join([*cells, row[3].ljust(widths[3]), row[4]])


def find_playable(library: Library, routine_id: str) -> Routine | int:
    """The routine with this id, or the exit code after explaining why it cannot be had."""
    entry = library.find(routine_id)
    if entry is None:
        print(f"selfcare: {library.unknown_id_message(routine_id)}", file=sys.stderr)
        return ExitCode.PROBLEM
    if entry.routine is None:
        print(f"selfcare: routine '{escaped(entry.id)}' is broken:\n{entry.error}", file=sys.stderr)
        return ExitCode.PROBLEM
    return entry.routine


def show_routine(args: argparse.Namespace) -> int:
    library = load_library(args)
    if library is None:
        return ExitCode.USAGE
    routine = find_playable(library, args.id)
    if isinstance(routine, int):
        return routine
    if args.json:
        print(json.dumps(routine_json(routine), indent=2, ensure_ascii=False))
    else:
        print("\n".join(_plan_lines(routine)))
    return ExitCode.OK


def routine_json(routine: Routine) -> dict[str, Any]:
    return {
        "id": routine.id,
        "title": routine.title,
        "summary": routine.summary,
        "format": routine.format_version,
        "muscles": list(routine.muscles),
        "total_seconds": routine.total_seconds,
        "steps": [_step_json(step) for step in routine.steps],
    }


def _step_json(step: Step) -> dict[str, Any]:
    return {
        "index": step.index,
        "number": step.number,
        "title": step.title,
        "kind": step.kind.value,
        "side": step.side.value,
        "seconds": step.seconds,
        "repetitions": step.repetitions,
        "hold_seconds": step.hold_seconds,
        "muscles": list(step.muscles),
        "text": step.text,
        "speech": step.speech,
        "cues": [{"at_second": cue.at_second, "text": cue.text} for cue in step.cues],
        "cautions": list(step.cautions),
    }


def _plan_lines(routine: Routine) -> Iterator[str]:
    yield f"{routine.title} ({routine.id}), {duration_text(routine.total_seconds)}"
    if routine.summary:
        yield routine.summary
    for step in routine.steps:
        side = f" [{step.side.value.upper()}]" if step.side is not Side.NONE else ""
        dose = f"{step.repetitions} × {step.hold_seconds} s" if step.repetitions > 1 else ""
        yield ""
        length = duration_text(step.seconds)
        yield f"{step.number:>3}. {step.title}{side}, {step.kind.value}, {length}"
        if dose:
            yield f"     {dose}"
        yield f"     {step.text}"
        for caution in step.cautions:
            yield f"     Caution: {caution}"


def validate_paths(args: argparse.Namespace) -> int:
    checked = failed = 0
    for path in args.paths:
        for file, problems in _validate(path):
            checked += file is not None
            failed += bool(problems)
            for problem in problems:
                print(problem)
    print(f"{checked} file(s) checked, {failed} with problems", file=sys.stderr)
    return ExitCode.PROBLEM if failed else ExitCode.OK


def _validate(path: Path) -> Iterator[tuple[Path | None, list[Problem]]]:
    if path.is_dir():
        unreadable: list[OSError] = []
        files = list(_toml_files(path, unreadable.append))
        for error in unreadable:
            folder = Path(error.filename or path)
            yield None, [Problem(folder, f"cannot read this folder: {error.strerror or error}")]
        if not files and not unreadable:
            yield None, [Problem(path, "no .toml files in this folder")]
        root = path.resolve()
        for file in files:
            if not file.exists() or file.resolve().is_relative_to(root):
                yield file, _problems(file)
            else:
                yield file, [Problem(file, "links to a file outside the folder, so it is not read")]
    elif path.exists() or path.is_symlink():
        yield path, _problems(path)
    else:
        yield None, [Problem(path, "no such file or folder")]


def _toml_files(folder: Path, on_error: Callable[[OSError], None]) -> Iterator[Path]:
    """Every .toml file under `folder`; links to folders are not followed, so loops are harmless."""
    for root, dirs, names in os.walk(folder, onerror=on_error):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".toml"):
                yield Path(root) / name


def _problems(path: Path) -> list[Problem]:
    try:
        load_routine(path)
    except RoutineError as error:
        return list(error.problems)
    return []


def new_routine(args: argparse.Namespace) -> int:
    from selfcare_tui.routines.starter import write_starter

    if not ID_PATTERN.fullmatch(args.id) or len(args.id) > MAX_ID_LENGTH:
        print(
            f"selfcare: '{args.id}' is not a valid id; use up to {MAX_ID_LENGTH} lowercase "
            "letters, digits and single hyphens, e.g. my-morning",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    target = _user_dir() / f"{args.id}.toml"
    try:
        write_starter(target, args.id)
    except FileExistsError:
        print(f"selfcare: {target} already exists; not overwriting it", file=sys.stderr)
        return ExitCode.PROBLEM
    except OSError as error:
        print(f"selfcare: cannot write {target}: {error.strerror or error}", file=sys.stderr)
        return ExitCode.PROBLEM
    print(f"Wrote {target}\nEdit it, then try: selfcare show {args.id}")
    from selfcare_tui import locations

    if (locations.bundled_routines_dir() / target.name).exists():
        print(f"Note: it replaces the bundled routine '{args.id}' for you.")
    return ExitCode.OK


def _user_dir() -> Path:
    from selfcare_tui import locations

    return locations.user_routines_dir()
