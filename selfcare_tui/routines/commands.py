"""`selfcare list`, `show`, `validate`, `new` and `sources`: routines from the command line."""

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
from selfcare_tui.routines.model import Reference, Routine, Side, Step
from selfcare_tui.routines.problems import Problem, RoutineError
from selfcare_tui.text import escaped, one_line
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

    new = subparsers.add_parser("new", help="write a starter routine into your routines folder")
    new.add_argument("id", metavar="ID", help="the new routine's id, e.g. my-morning")
    new.set_defaults(handler=new_routine)

    sources = subparsers.add_parser(
        "sources", help="the sources behind the app's safety texts and each routine's steps"
    )
    sources.add_argument("id", metavar="ID", nargs="?", help="one routine: which steps cite what")
    add_routines_option(sources)
    sources.add_argument("--json", action="store_true", help="print JSON")
    sources.set_defaults(handler=list_sources)


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
        # One routine a line: readable, and json's fast encoder (an indent makes it ~10x slower).
        rows = ",\n  ".join(json.dumps(_entry_json(entry)) for entry in library.entries)
        print(f"[\n  {rows}\n]" if rows else "[]")
    elif not library.entries:
        print(f"No routines found. Put .toml routines in {_user_dir()} or run 'selfcare new ID'.")
    else:
        print("\n".join(_entry_table(library.entries)))
    return ExitCode.OK


def _entry_json(entry: Entry) -> dict[str, Any]:
    card = entry.card
    return {
        "id": entry.id,
        "title": card.title if card else None,
        "minutes": card.minutes if card else None,
        "total_seconds": card.total_seconds if card else None,
        "source": entry.source_label,
        "path": str(entry.path),
        "status": "ok" if entry.ok else "broken",
        "error": str(entry.error) if entry.error else None,
        "overrides": str(entry.overrides) if entry.overrides else None,
    }


def _entry_table(entries: tuple[Entry, ...]) -> Iterator[str]:
    rows = [("ID", "TITLE", "MIN", "SOURCE", "STATUS")]
    for entry in entries:
        card = entry.card
        status = "ok" if entry.error is None else f"broken: {entry.error.summary}"
        if entry.overrides:
            status += f" (overrides {escaped(str(entry.overrides))})"
        title, minutes = (card.title, str(card.minutes)) if card else ("?", "-")
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
        "steps": [_step_json(step, routine) for step in routine.steps],
        "sources": [_reference_json(reference) for reference in routine.references],
        "countdown": routine.countdown.value if routine.countdown else None,
    }


def _reference_json(reference: Reference) -> dict[str, Any]:
    return {"key": reference.key, "title": reference.title, "url": reference.url or None}


def _step_json(step: Step, routine: Routine) -> dict[str, Any]:
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
        "sources": [_cited_json(routine, key) for key in step.sources],
    }


def _cited_json(routine: Routine, key: str) -> dict[str, Any]:
    """A step's citation: the source's title, or None when the routine has no such source."""
    reference = routine.reference(key)
    return {"key": key, "title": reference.title if reference else None}


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
        if step.sources:
            yield f"     Sources: {_keys(step.sources)}"
    if routine.references:
        yield ""
        yield "Sources"
        yield from _reference_lines(routine.references, indent="  ")


def _keys(keys: tuple[str, ...]) -> str:
    return " ".join(f"[{key}]" for key in keys)


def _reference_lines(references: tuple[Reference, ...], indent: str) -> Iterator[str]:
    """Each source on a line, its address (text only, never opened) on the next."""
    for reference in references:
        yield f"{indent}[{reference.key}] {one_line(reference.title)}"
        if reference.url:
            yield f"{indent}    {one_line(reference.url)}"


def list_sources(args: argparse.Namespace) -> int:
    """The app's own sources and every bundled routine's, or one routine's, step by step."""
    if args.id is None:
        routines = _bundled_routines()
    else:
        library = load_library(args)
        if library is None:
            return ExitCode.USAGE
        found = find_playable(library, args.id)
        if isinstance(found, int):
            return found
        routines = [found]
    if args.json:
        report: dict[str, Any] = {"routines": [_routine_sources_json(r) for r in routines]}
        if args.id is None:
            report = {"app": _app_sources_json(), **report}
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return ExitCode.OK
    lines = [] if args.id is not None else [*_app_source_lines(), ""]
    for routine in routines:
        lines += [*_routine_source_lines(routine), ""]
    print("\n".join(lines).rstrip("\n"))
    return ExitCode.OK


def _bundled_routines() -> list[Routine]:
    from selfcare_tui import locations
    from selfcare_tui.routines.loader import load_routine
    from selfcare_tui.routines.model import Source

    routines = []
    for path in sorted(locations.bundled_routines_dir().glob("*.toml")):
        try:
            routines.append(load_routine(path, Source.BUNDLED))
        except RoutineError as error:
            print(f"selfcare: warning: a bundled routine is broken:\n{error}", file=sys.stderr)
    return routines


def _app_sources_json() -> list[dict[str, Any]]:
    from selfcare_tui import content

    return [
        {
            "key": key,
            "title": title,
            "backs": [c.words for c in content.CITATIONS if key in c.sources],
        }
        for key, title in content.SOURCES.items()
    ]


def _app_source_lines() -> Iterator[str]:
    from selfcare_tui import content

    yield "The app's safety and reflection texts"
    for citation in content.CITATIONS:
        yield f"  {citation.words}: {_keys(citation.sources)}"
    for key, title in content.SOURCES.items():
        yield f"  [{key}] {title}"


def _citing_steps(routine: Routine, key: str) -> list[Step]:
    return [step for step in routine.steps if key in step.sources]


def _unknown_citations(routine: Routine) -> list[str]:
    known = {reference.key for reference in routine.references}
    cited = dict.fromkeys(key for step in routine.steps for key in step.sources)
    return [key for key in cited if key not in known]


def _step_ref_json(step: Step) -> dict[str, Any]:
    return {"number": step.number, "title": step.title, "side": step.side.value}


def _routine_sources_json(routine: Routine) -> dict[str, Any]:
    def steps(key: str) -> list[dict[str, Any]]:
        return [_step_ref_json(step) for step in _citing_steps(routine, key)]

    return {
        "id": routine.id,
        "title": routine.title,
        "sources": [
            {**_reference_json(ref), "steps": steps(ref.key)} for ref in routine.references
        ],
        "unknown": [{"key": key, "steps": steps(key)} for key in _unknown_citations(routine)],
        "steps_without_sources": [
            _step_ref_json(step) for step in routine.steps if not step.sources
        ],
    }


def _routine_source_lines(routine: Routine) -> Iterator[str]:
    yield f"{one_line(routine.title)} ({escaped(routine.id)})"
    if not routine.references:
        yield "  No sources table."
    for reference in routine.references:
        yield from _reference_lines((reference,), indent="  ")
        yield f"      {_cited_by(_citing_steps(routine, reference.key))}"
    for key in _unknown_citations(routine):
        yield f"  [{key}] not in the sources table"
        yield f"      {_cited_by(_citing_steps(routine, key))}"
    bare = [step for step in routine.steps if not step.sources]
    if bare:
        yield f"  Steps without sources: {_step_numbers(bare)}"


def _cited_by(steps: list[Step]) -> str:
    return f"cited by steps {_step_numbers(steps)}" if steps else "cited by no step"


def _step_numbers(steps: list[Step]) -> str:
    return ", ".join(str(step.number) for step in steps)


PlanCheck = Callable[[Routine], list[str]]
"""More warnings about a valid routine (the session's: cues that cannot be heard)."""


def add_validate_command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], plan_check: PlanCheck
) -> None:
    validate = subparsers.add_parser("validate", help="check routine files (files or folders)")
    validate.add_argument("paths", metavar="PATH", nargs="+", type=Path)
    validate.set_defaults(handler=lambda args: validate_paths(args, plan_check))


def validate_paths(args: argparse.Namespace, plan_check: PlanCheck | None = None) -> int:
    checked = failed = 0
    for path in args.paths:
        for file, problems, warnings in _validate(path, plan_check):
            checked += file is not None
            failed += bool(problems)
            for problem in problems:
                print(problem)
            for warning in warnings:
                print(warning)
    print(f"{checked} file(s) checked, {failed} with problems", file=sys.stderr)
    return ExitCode.PROBLEM if failed else ExitCode.OK


Checked = tuple[Path | None, list[Problem], tuple[Problem, ...]]
"""A file (None for a folder's own problem), its problems, and its warnings."""


def _validate(path: Path, plan_check: PlanCheck | None = None) -> Iterator[Checked]:
    if path.is_dir():
        unreadable: list[OSError] = []
        files = list(_toml_files(path, unreadable.append))
        for error in unreadable:
            folder = Path(error.filename or path)
            yield None, [Problem(folder, f"cannot read this folder: {error.strerror or error}")], ()
        if not files and not unreadable:
            yield None, [Problem(path, "no .toml files in this folder")], ()
        root = path.resolve()
        for file in files:
            if not file.exists() or file.resolve().is_relative_to(root):
                yield file, *_problems(file, plan_check)
            else:
                outside = Problem(file, "links to a file outside the folder, so it is not read")
                yield file, [outside], ()
    elif path.exists() or path.is_symlink():
        yield path, *_problems(path, plan_check)
    else:
        yield None, [Problem(path, "no such file or folder")], ()


def _toml_files(folder: Path, on_error: Callable[[OSError], None]) -> Iterator[Path]:
    """Every .toml file under `folder`; links to folders are not followed, so loops are harmless."""
    for root, dirs, names in os.walk(folder, onerror=on_error):
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".toml"):
                yield Path(root) / name


def _problems(
    path: Path, plan_check: PlanCheck | None = None
) -> tuple[list[Problem], tuple[Problem, ...]]:
    from selfcare_tui.routines.loader import check_routine

    try:
        routine, warnings = check_routine(path)
    except RoutineError as error:
        return list(error.problems), ()
    if plan_check is not None:
        warnings += tuple(Problem(path, f"warning: {text}") for text in plan_check(routine))
    return [], warnings


def new_routine(args: argparse.Namespace) -> int:
    from selfcare_tui.routines.loader import ID_PATTERN, MAX_ID_LENGTH
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
