"""From one assessment tool to another: a screening's answers into the risk assessment. No I/O.

The tools ask their questions from one bank (questions.yaml), so a question id means the same
question, with the same answers and recorded facts, in every tool that asks it. A tool can be
carried into another when the other asks every question it asks (nothing would be lost): the
screening into the risk assessment, never the other way. What comes over: the age, the answer to
every question both ask, the facts recorded beside those questions, the notes of the sections
both have (and "what the child or others said"), and the case header. The rest of the target
tool's questions still need answering; the result says which came over, so the page can mark them.
"""

from __future__ import annotations

from typing import Any, Mapping

from .errors import InputError
from .files import SAID_NOTE, answers_document
from .model import ToolDefinition


def question_ids(tool: ToolDefinition) -> tuple[str, ...]:
    return tuple(q.id for _s, q in tool.questions())


def can_carry(source: ToolDefinition, target: ToolDefinition) -> bool:
    """Whether `source`'s answers can be carried into `target`: a different tool that asks every
    question `source` asks."""
    return source.id != target.id and set(question_ids(source)) <= set(question_ids(target))


def carry_over(
    source: ToolDefinition, target: ToolDefinition, document: Mapping[str, Any]
) -> dict[str, Any]:
    """`document` (a canonical answers document of `source`, as files.answers_document gives)
    as a canonical answers document of `target`, with the ids of the questions whose answers
    came over (`carried`, in `target`'s order) and how many of `target`'s questions are left.
    InputError on field "tool" when `source` cannot be carried into `target`."""
    if not can_carry(source, target):
        raise InputError(
            "tool",
            f"{source.id!r} answers cannot be carried into {target.id!r}",
            f"Answers from the {source.title} cannot be opened in the {target.title}.",
        )
    answers = document.get("answers") or {}
    facts = document.get("facts") or {}
    notes = document.get("notes") or {}
    sections = {s.id for s in target.sections}
    doc = answers_document(
        target,
        document.get("age"),
        {qid: answers[qid] for qid in question_ids(target) if qid in answers},
        {key: text for key, text in notes.items() if key in sections or key == SAID_NOTE},
        facts={qid: values for qid, values in facts.items() if target.question(qid) is not None},
        case=document.get("case"),
    )
    carried = list(doc["answers"])
    return {
        "file": doc,
        "carried": carried,
        "to_answer": len(question_ids(target)) - len(carried),
        "from_tool": source.id,
        "from_title": source.title,
    }
