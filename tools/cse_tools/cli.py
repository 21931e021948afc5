"""The `cse-tools` command line.

    cse-tools validate [--definitions DIR]
    cse-tools explain TOOL [--json] [--definitions DIR]
    cse-tools assess TOOL FILE [--definitions DIR]         (FILE "-" = stdin)
    cse-tools plan TOOL FILE [--today YYYY-MM-DD] [--definitions DIR]
    cse-tools meeting FILE... [--today YYYY-MM-DD] [--same-child] [--ics] [--definitions DIR]

    cse-tools profile FILE... [--today YYYY-MM-DD] [--period month|quarter] [--csv DIR]

Exit 0 on success; exit 2 with one line on stderr naming what is wrong.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, Sequence, TextIO

from . import files, meeting, profile
from .catalog import default_catalog, find_tool, load_directory
from .checks import check_age, check_date
from .engine import assess
from .errors import DefinitionError, InputError
from .explain import render_text, rules_table
from .model import ASSESSMENT, ToolDefinition
from .planning import draft_plan, parse_day

INPUT_FIELDS = ("age", "answers", "notes", "review_date", "tool", "facts", "case")


class Failure(Exception):
    """Stop with exit code 2 and this one-line message."""


def _catalog(args: argparse.Namespace) -> dict[str, ToolDefinition]:
    if getattr(args, "definitions", None):
        return load_directory(Path(args.definitions))
    return default_catalog()


def _tool(
    catalog: dict[str, ToolDefinition], tool_id: str, *, assessment: bool = True
) -> ToolDefinition:
    try:
        return find_tool(catalog, tool_id, ASSESSMENT if assessment else None)
    except InputError as exc:
        raise Failure(exc.problem) from None


def _read(name: str, stdin: TextIO) -> dict[str, Any]:
    label = "stdin" if name == "-" else name
    try:
        text = stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise Failure(f"{label}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise Failure(f"{label}: is not UTF-8 text") from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise Failure(f"{label}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise Failure(f"{label}: the top level must be a JSON object with age and answers")
    return data


def _input(
    tool: ToolDefinition, data: dict[str, Any], catalog: dict[str, ToolDefinition]
) -> dict[str, Any]:
    """The checked input: a saved answers file, or {"age": .., "answers": {..}} with optional extras."""
    if "format" in data:
        doc = files.parse_answers(data, catalog)
    else:
        for key in data:
            if key not in INPUT_FIELDS:
                raise InputError(key, f"unknown field (expected {', '.join(INPUT_FIELDS)})")
        if "answers" not in data:
            raise InputError("answers", "missing: give an object of question ids and answers")
        doc = files.answers_document(
            tool,
            data.get("age"),
            data["answers"],
            data.get("notes"),
            data.get("review_date"),
            facts=data.get("facts"),
            case=data.get("case"),
        ) | {"tool": data.get("tool", tool.id)}
    if doc["tool"] != tool.id:
        raise InputError("tool", f"the file is for {doc['tool']!r}, not {tool.id!r}")
    check_age(doc["age"], required=True)
    check_date(doc["review_date"], "review_date")
    return doc


def cmd_validate(args: argparse.Namespace, out: TextIO) -> None:
    catalog = _catalog(args)
    for tool_id, tool in sorted(catalog.items()):
        if tool.kind == ASSESSMENT:
            count = sum(1 for _ in tool.questions())
            detail = f"{len(tool.sections)} sections, {count} questions, {len(tool.rules)} rules"
        else:
            detail = f"{len(tool.tactics)} disruption tactics"
        print(f"{tool_id}: ok (version {tool.version}, {detail}) from {tool.source}", file=out)


def cmd_explain(args: argparse.Namespace, out: TextIO) -> None:
    tool = _tool(_catalog(args), args.tool, assessment=False)
    if args.json:
        print(json.dumps(rules_table(tool), indent=2, ensure_ascii=False), file=out)
    else:
        out.write(render_text(tool))


def cmd_assess(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    catalog = _catalog(args)
    tool = _tool(catalog, args.tool)
    doc = _input(tool, _read(args.file, stdin), catalog)
    result = assess(tool, doc["age"], doc["answers"], doc["review_date"])
    print(json.dumps(result, indent=2, ensure_ascii=False), file=out)


def cmd_plan(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> None:
    catalog = _catalog(args)
    tool = _tool(catalog, args.tool)
    start = parse_day(args.today, "--today") if args.today else dt.date.today()
    doc = _input(tool, _read(args.file, stdin), catalog)
    plan = draft_plan(tool, doc["age"], doc["answers"], start, doc["facts"], doc["notes"])
    print(json.dumps(plan, indent=2, ensure_ascii=False), file=out)


def cmd_meeting(args: argparse.Namespace, out: TextIO) -> None:
    """Merge several agencies' saved files (meeting.merge); print the record as JSON, or the calendar."""
    catalog = _catalog(args)
    today = parse_day(args.today, "--today") if args.today else dt.date.today()
    sources = []
    for name in args.files:
        try:
            sources.append((name, Path(name).read_text(encoding="utf-8")))
        except OSError as exc:
            raise Failure(f"{name}: cannot be read ({exc.strerror})") from exc
        except UnicodeDecodeError as exc:
            raise Failure(f"{name}: is not UTF-8 text") from exc
    try:
        merged = meeting.merge(sources, catalog, same_child=args.same_child)
    except meeting.DifferentChild as exc:
        raise Failure(
            f"different children ({exc.problem}); add --same-child if they are one child"
        ) from None
    if not merged["sources"]:
        reasons = "; ".join(f"{s['file']}: {s['reason']}" for s in merged["skipped"])
        raise Failure(f"no file could be read ({reasons})")
    record = meeting.record_for(merged, catalog, today)
    if args.ics:
        stamp = (
            dt.datetime.combine(today, dt.time(), dt.timezone.utc)
            if args.today
            else dt.datetime.now(dt.timezone.utc)
        )
        out.write(meeting.calendar(merged["case"]["reference"], record, stamp))
    else:
        print(json.dumps(meeting.public(merged, record), indent=2, ensure_ascii=False), file=out)


def cmd_profile(args: argparse.Namespace, out: TextIO) -> None:
    """The partnership profile of many saved files; a file that cannot be read is listed, not fatal."""
    today = parse_day(args.today, "--today") if args.today else dt.date.today()
    sources: list[tuple[str, str]] = []
    for name in args.files:
        try:
            sources.append((name, Path(name).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            sources.append((name, ""))  # listed as skipped: not a saved CSE tool file
    result = profile.profile(sources, _catalog(args), today, args.period)
    if args.csv:
        folder = Path(args.csv)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for filename, text in profile.csv_tables(result).items():
                (folder / filename).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise Failure(f"{args.csv}: cannot write the tables ({exc.strerror})") from exc
    print(json.dumps(result, indent=2, ensure_ascii=False), file=out)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--definitions",
        metavar="DIR",
        help="folder of tool definition *.yaml files (default: the package's own)",
    )
    parser = argparse.ArgumentParser(
        prog="cse-tools",
        description="CSE screening and risk assessment tools: check definitions, explain, assess, plan, meeting.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    sub.add_parser("validate", parents=[common], help="check every tool definition")
    explain = sub.add_parser("explain", parents=[common], help="show how a tool decides")
    explain.add_argument("tool")
    explain.add_argument("--json", action="store_true", help="print the rules table as JSON")
    for name, text in (
        ("assess", "score a child's answers (JSON)"),
        ("plan", "draft a safety plan (JSON)"),
    ):
        cmd = sub.add_parser(name, parents=[common], help=text)
        cmd.add_argument("tool")
        cmd.add_argument("file", help='answers JSON file, or "-" for stdin')
        if name == "plan":
            cmd.add_argument(
                "--today", metavar="YYYY-MM-DD", help="start date of the plan (default: today)"
            )
    meet = sub.add_parser(
        "meeting", parents=[common], help="combine several agencies' saved files (JSON)"
    )
    meet.add_argument(
        "files", nargs="+", metavar="FILE", help="saved answers, plan or meeting files"
    )
    meet.add_argument("--today", metavar="YYYY-MM-DD", help="the meeting's date (default: today)")
    meet.add_argument(
        "--same-child", action="store_true", help="the files are about one child, whatever they say"
    )
    meet.add_argument("--ics", action="store_true", help="print the calendar (iCalendar) instead")

    prof = sub.add_parser(
        "profile", parents=[common], help="the partnership profile of many saved files (JSON)"
    )
    prof.add_argument(
        "files", nargs="+", metavar="FILE", help="saved answers, plan and meeting files"
    )
    prof.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="the date overdue actions are counted at (default: today)",
    )
    prof.add_argument(
        "--period", choices=profile.PERIODS, default="month", help="count by month or by quarter"
    )
    prof.add_argument(
        "--csv", metavar="DIR", help="also write each table as a CSV file (UTF-8) in DIR"
    )
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    out, err, inp = stdout or sys.stdout, stderr or sys.stderr, stdin or sys.stdin
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            cmd_validate(args, out)
        elif args.command == "explain":
            cmd_explain(args, out)
        elif args.command == "assess":
            cmd_assess(args, out, inp)
        elif args.command == "meeting":
            cmd_meeting(args, out)

        elif args.command == "profile":
            cmd_profile(args, out)
        else:
            cmd_plan(args, out, inp)
    except (Failure, DefinitionError, InputError) as exc:
        message = " ".join(str(exc).split())  # always one line
        print(message, file=err)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
