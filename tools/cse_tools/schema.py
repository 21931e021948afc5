"""The definition schema: a tool definition or the categories from plain data (parsed YAML or the
bundled JSON) into the model, and back (tool_to_dict, the bundled JSON's form).

Every error is a DefinitionError whose one-line message names the file, the place (question,
section, band, level, rule, tactic) and the field, e.g.
    tools/definitions/questions.yaml: question 'missing_episodes': field 'weight' must be a whole number >= 0

The shape of the data is checked here; the safeguarding invariants every tool must obey are
checked by `invariants` (called from tool_from_dict). The fields are read with `fields.Place`.
"""

from __future__ import annotations

from typing import Any, Mapping

from .bank import BANK_FIELDS
from .fields import TOOL_ID, Place, describe, named, shown
from .invariants import check_behaviour, check_polarity
from .model import (
    ANSWERS,
    ASSESSMENT,
    COUNTS_AS,
    DISRUPTION,
    LEVELS,
    MAX_AGE,
    MIN_AGE,
    PAST,
    PROTECTIVE,
    RISK_INDICATOR,
    SCORED_KINDS,
    SECTION_KINDS,
    SIGN_OF_HARM,
    TOOL_KINDS,
    YES,
    AgeRule,
    Band,
    Categories,
    Condition,
    Fact,
    Level,
    PlanSuggestion,
    Question,
    Rule,
    Section,
    StandingRow,
    Tactic,
    ToolDefinition,
    Trigger,
)

RESERVED_QUESTION_IDS = ("age",)
CONDITION_OPS = ("count", "answer", "age_under", "age_at_least", "all", "any", "not")


# --- the tool --------------------------------------------------------------------------------

_COMMON = ("id", "kind", "title", "version", "description", "audience")
# An assessment is its tool file's fields plus everything the question bank gives it.
_ASSESSMENT_FIELDS = (*_COMMON, "review_date", *BANK_FIELDS)
_DISRUPTION_FIELDS = (*_COMMON, "tactics")


def tool_from_dict(
    data: Any, source: str, categories: Categories | None = None, *, behaviour: bool = True
) -> ToolDefinition:
    """Build and validate a ToolDefinition from plain data; `source` names the file in errors.

    An assessment tool takes its levels and time window from `categories` (categories.yaml); the
    normalised form (tool_to_dict, the bundled JSON) carries them inside, under 'categories'.
    behaviour=False skips only the behaviour checks (hundreds of assessments), for definitions
    that already passed them when the wheel was built (catalog.default_catalog in the browser)."""
    place = Place(source)
    if not isinstance(data, dict):
        raise place.fail(
            None, f"the file must hold a mapping (key: value) at the top, not {describe(data)}"
        )
    kind = data.get("kind", ASSESSMENT)
    if kind not in TOOL_KINDS:
        raise place.fail("kind", f"must be one of {', '.join(TOOL_KINDS)}, not {shown(kind)}")
    fields = _ASSESSMENT_FIELDS if kind == ASSESSMENT else _DISRUPTION_FIELDS
    if categories is None and kind == ASSESSMENT:
        fields = (*fields, "categories")
    place.mapping(data, fields)
    common = dict(
        id=place.ident(data, "id", TOOL_ID),
        kind=kind,
        title=place.text(data, "title"),
        version=place.whole(data, "version", minimum=1),
        description=place.text(data, "description", required=False),
        audience=place.text(data, "audience", required=False),
        source=source,
    )
    if kind == DISRUPTION:
        return ToolDefinition(**common, tactics=_tactics(place, data))

    if categories is None:
        if "categories" not in data:
            raise place.fail("categories", "is missing (the levels come from categories.yaml)")
        categories = categories_from_dict(data["categories"], f"{source}: categories")
    levels = categories.levels
    bands = _bands(place, data, levels)
    sections = _sections(place, data)
    question_ids = {q.id for s in sections for q in s.questions}
    rules = _rules(place, data, question_ids)
    tool = ToolDefinition(
        **common,
        time_window_months=categories.time_window_months,
        answer_labels=_answer_labels(place, data, categories.time_window_months),
        review_date=place.flag(data, "review_date"),
        judgement_note=place.text(data, "judgement_note"),
        emergency_note=place.text(data, "emergency_note"),
        levels=levels,
        bands=bands,
        sections=sections,
        rules=rules,
        plan_rows=_plan_rows(place, data),
        categories=categories,
    )
    if behaviour:
        check_behaviour(place, tool)
    return tool


def _answer_labels(place: Place, data: Mapping[str, Any], months: int) -> dict[str, str]:
    raw = data.get("answer_labels")
    if raw is None:
        raise place.fail("answer_labels", "is missing")
    place.at("answer_labels").mapping(raw, ANSWERS, "answer_labels")
    here = place.at("answer_labels")
    labels = {answer: here.text(raw, answer) for answer in ANSWERS}
    for answer in (YES, PAST):
        if f"{months} months" not in labels[answer]:
            raise here.fail(
                answer, f"must name the time window of categories.yaml ({months} months)"
            )
    return labels


# --- the categories (categories.yaml) ---------------------------------------------------------

_CATEGORY_FIELDS = ("time_window", "vulnerabilities_note", "levels")
_LEVEL_FIELDS = (
    "level",
    "name",
    "meaning",
    "criteria",
    "example",
    "triggers",
    "review_days",
    "review",
)


def categories_from_dict(data: Any, source: str) -> Categories:
    """Build and validate the categories (levels 0-3) from plain data; errors name file and field."""
    place = Place(source)
    place.mapping(data, _CATEGORY_FIELDS, "the file")
    window = data.get("time_window")
    wplace = place.at("time_window")
    if window is None:
        raise place.fail("time_window", "is missing")
    wplace.mapping(window, ("months", "explanation"), "time_window")
    months = wplace.whole(window, "months", minimum=1, maximum=120)
    out: dict[int, Level] = {}
    for index, raw in enumerate(place.items(data, "levels"), start=1):
        here = place.at(f"level entry {index}")
        here.mapping(raw, _LEVEL_FIELDS)
        number = here.whole(raw, "level", minimum=0, maximum=3)
        here = place.at(f"level {number}")
        if number in out:
            raise here.fail("level", "is defined twice")
        triggers = []
        for tindex, traw in enumerate(here.items(raw, "triggers"), start=1):
            tplace = place.at(f"level {number}: trigger {tindex}")
            tplace.mapping(traw, ("action", "who", "by_when", "done_in"))
            done_in = tplace.text(traw, "done_in", required=False)
            if done_in and not TOOL_ID.fullmatch(done_in):
                raise tplace.fail("done_in", f"must be a tool id, not {shown(done_in)}")
            triggers.append(
                Trigger(
                    action=tplace.text(traw, "action"),
                    who=tplace.text(traw, "who"),
                    by_when=tplace.text(traw, "by_when"),
                    done_in=done_in,
                )
            )
        out[number] = Level(
            level=number,
            name=here.text(raw, "name"),
            meaning=here.text(raw, "meaning"),
            criteria=here.texts(raw, "criteria"),
            triggers=tuple(triggers),
            review_days=here.whole(raw, "review_days", minimum=1),
            review=here.text(raw, "review"),
            example=here.text(raw, "example"),
        )
    missing = [str(n) for n in LEVELS if n not in out]
    if missing:
        raise place.fail(
            "levels", f"must define every level 0, 1, 2 and 3 (missing: {', '.join(missing)})"
        )
    days = [out[n].review_days for n in LEVELS]
    if days != sorted(days, reverse=True):
        raise place.fail(
            "levels", "review_days must get shorter (or stay the same) as the level rises"
        )
    return Categories(
        time_window_months=months,
        time_window=wplace.text(window, "explanation"),
        vulnerabilities_note=place.text(data, "vulnerabilities_note"),
        levels=tuple(out[n] for n in LEVELS),
        source=source,
    )


def categories_to_dict(categories: Categories) -> dict[str, Any]:
    """The plain-data form of the categories; categories_from_dict reads it back unchanged."""
    return {
        "time_window": {
            "months": categories.time_window_months,
            "explanation": categories.time_window,
        },
        "vulnerabilities_note": categories.vulnerabilities_note,
        "levels": [
            {
                "level": lv.level,
                "name": lv.name,
                "meaning": lv.meaning,
                "criteria": list(lv.criteria),
                "example": lv.example,
                "triggers": [
                    {"action": t.action, "who": t.who, "by_when": t.by_when}
                    | ({"done_in": t.done_in} if t.done_in else {})
                    for t in lv.triggers
                ],
                "review_days": lv.review_days,
                "review": lv.review,
            }
            for lv in categories.levels
        ],
    }


def _bands(place: Place, data: Mapping[str, Any], levels: tuple[Level, ...]) -> tuple[Band, ...]:
    known = {lv.level for lv in levels}
    bands: list[Band] = []
    for index, raw in enumerate(place.items(data, "bands"), start=1):
        here = place.at(f"band {index}")
        here.mapping(raw, ("level", "min_score"))
        if (
            "level" in raw
            and isinstance(raw["level"], int)
            and not isinstance(raw["level"], bool)
            and raw["level"] not in known
        ):
            raise here.fail(
                "level",
                f"{raw['level']} is not a defined level ({', '.join(map(str, sorted(known)))})",
            )
        level = here.whole(raw, "level", minimum=0, maximum=3)
        min_score = here.whole(raw, "min_score", minimum=0)
        if index == 1 and (min_score != 0 or level != 0):
            raise here.fail("min_score", "the first band must start at score 0 and give level 0")
        if bands and min_score <= bands[-1].min_score:
            raise here.fail(
                "min_score", f"must be higher than the previous band's ({bands[-1].min_score})"
            )
        if bands and level < bands[-1].level:
            raise here.fail(
                "level", "a higher score must never give a lower level than the band before"
            )
        bands.append(Band(level=level, min_score=min_score))
    return tuple(bands)


_QUESTION_FIELDS = (
    "id",
    "text",
    "statement",
    "help",
    "weight",
    "past_weight",
    "time_window",
    "plan",
    "age_rules",
    "if_age_unknown",
    "facts",
)


def _sections(place: Place, data: Mapping[str, Any]) -> tuple[Section, ...]:
    sections: list[Section] = []
    seen_sections: set[str] = set()
    seen_questions: set[str] = set()
    for index, raw in enumerate(place.items(data, "sections"), start=1):
        here = named(place, raw, "section", f"section {index}")
        here.mapping(raw, ("id", "title", "kind", "help", "narrative", "questions"))
        sid = here.ident(raw, "id")
        if sid in seen_sections:
            raise here.fail("id", "is used by another section")
        seen_sections.add(sid)
        kind = raw.get("kind")
        if kind not in SECTION_KINDS:
            raise here.fail("kind", f"must be one of {', '.join(SECTION_KINDS)}, not {shown(kind)}")
        questions = []
        for qindex, qraw in enumerate(here.items(raw, "questions"), start=1):
            question = _question(place, sid, qindex, kind, qraw, seen_questions)
            seen_questions.add(question.id)
            questions.append(question)
        sections.append(
            Section(
                id=sid,
                title=here.text(raw, "title"),
                kind=kind,
                help=here.text(raw, "help", required=False),
                narrative=here.flag(raw, "narrative"),
                questions=tuple(questions),
            )
        )
    if not any(s.kind in SCORED_KINDS for s in sections):
        raise place.fail(
            "sections",
            "must include at least one scored section (vulnerability, risk_indicator or sign_of_harm)",
        )
    return tuple(sections)


def _question(place: Place, sid: str, index: int, kind: str, raw: Any, seen: set[str]) -> Question:
    here = named(place, raw, "question", f"section '{sid}': question {index}")
    here.mapping(raw, _QUESTION_FIELDS)
    qid = here.ident(raw, "id")
    if qid in seen:
        raise here.fail("id", "is used by another question (question ids must be unique in a tool)")
    if qid in RESERVED_QUESTION_IDS:
        raise here.fail("id", f"{qid!r} is reserved")
    text = here.text(raw, "text")
    statement = here.text(raw, "statement")
    helptext = here.text(raw, "help", required=False)
    if kind == PROTECTIVE:
        for name in (
            "weight",
            "past_weight",
            "time_window",
            "age_rules",
            "if_age_unknown",
            "plan",
            "facts",
        ):
            if name in raw:
                raise here.fail(
                    name,
                    "is not used on protective factors (they are shown beside the score, never scored)",
                )
        return Question(id=qid, text=text, statement=statement, help=helptext)

    weight = here.whole(raw, "weight", minimum=0)
    time_window = here.flag(raw, "time_window")
    if "past_weight" in raw and not time_window:
        raise here.fail(
            "past_weight",
            "needs time_window: true ('past' is only offered on questions with a time window)",
        )
    past_weight = here.whole(
        raw, "past_weight", minimum=0, required=False, default=weight // 2 if time_window else 0
    )
    if past_weight > weight:
        raise here.fail(
            "past_weight",
            f"must not be more than 'weight' ({weight}): 'past' must never score more than 'yes'",
        )

    plan = None
    if "plan" in raw:
        plan = _plan(here, raw["plan"], kind)
    elif kind in (RISK_INDICATOR, SIGN_OF_HARM):
        raise here.fail(
            "plan",
            "is missing (every risk indicator and sign of harm suggests a safety plan action)",
        )

    rules: list[AgeRule] = []
    for rindex, rraw in enumerate(here.items(raw, "age_rules", required=False), start=1):
        rplace = place.at(f"question '{qid}': age rule {rindex}")
        rplace.mapping(rraw, ("max_age", "counts_as", "plan"))
        max_age = rplace.whole(rraw, "max_age", minimum=MIN_AGE, maximum=MAX_AGE)
        counts = rraw.get("counts_as")
        if counts not in COUNTS_AS:
            raise rplace.fail(
                "counts_as", f"must be one of {', '.join(COUNTS_AS)}, not {shown(counts)}"
            )
        if rules and max_age <= rules[-1].max_age:
            raise rplace.fail(
                "max_age", f"must be higher than the previous rule's ({rules[-1].max_age})"
            )
        rule_plan = _plan(rplace, rraw["plan"], counts) if "plan" in rraw else None
        rules.append(AgeRule(max_age=max_age, counts_as=counts, plan=rule_plan))
    if_unknown = None
    if rules:
        if rules[-1].max_age != MAX_AGE:
            raise here.fail(
                "age_rules",
                f"must cover every age up to {MAX_AGE} (the last rule's max_age must be {MAX_AGE})",
            )
        if_unknown = raw.get("if_age_unknown")
        if if_unknown not in COUNTS_AS:
            raise here.fail(
                "if_age_unknown",
                f"must be one of {', '.join(COUNTS_AS)} (how the answer counts while no age is given), not {shown(if_unknown)}",
            )
        if plan is None and any(r.counts_as in (RISK_INDICATOR, SIGN_OF_HARM) for r in rules):
            raise here.fail("plan", "is missing (the question counts as a risk at some ages)")
    elif "if_age_unknown" in raw:
        raise here.fail("if_age_unknown", "is only used with age_rules")
    return Question(
        id=qid,
        text=text,
        statement=statement,
        help=helptext,
        weight=weight,
        past_weight=past_weight,
        time_window=time_window,
        plan=plan,
        age_rules=tuple(rules),
        if_age_unknown=if_unknown,
        facts=_facts(place, qid, raw),
    )


def _facts(place: Place, qid: str, raw: Mapping[str, Any]) -> tuple[Fact, ...]:
    """The facts recorded beside a question (never scored): each an id, a label, a short name for
    the plan's notes, optional help, and either free text or a list of choices."""
    facts: list[Fact] = []
    for index, fraw in enumerate(
        place.at(f"question '{qid}'").items(raw, "facts", required=False), start=1
    ):
        here = place.at(f"question '{qid}': fact {index}")
        here.mapping(fraw, ("id", "label", "short", "help", "choices"))
        fid = here.ident(fraw, "id")
        if any(f.id == fid for f in facts):
            raise here.fail("id", "is used by another fact of this question")
        choices = here.items(fraw, "choices", required=False)
        if choices and (
            len(choices) < 2
            or not all(isinstance(c, str) and c.strip() for c in choices)
            or len(set(choices)) != len(choices)
        ):
            raise here.fail("choices", "must be a list of at least two different non-empty texts")
        facts.append(
            Fact(
                id=fid,
                label=here.text(fraw, "label"),
                short=here.text(fraw, "short"),
                help=here.text(fraw, "help", required=False),
                choices=tuple(c.strip() for c in choices),
            )
        )
    return tuple(facts)


def _unique_id(here: Place, raw: Mapping[str, Any], seen: set[str], used: str) -> str:
    """An item's id, checked and not used before in its list (`seen`, then updated)."""
    ident = here.ident(raw, "id")
    if ident in seen:
        raise here.fail("id", used)
    seen.add(ident)
    return ident


def _plan_rows(place: Place, data: Mapping[str, Any]) -> tuple[StandingRow, ...]:
    """The rows every drafted safety plan starts with (optional; procedure chapter 7's list)."""
    if data.get("plan_rows") is None:
        return ()
    rows: list[StandingRow] = []
    seen: set[str] = set()
    for index, raw in enumerate(place.items(data, "plan_rows"), start=1):
        here = place.at(f"plan_rows {index}")
        here.mapping(raw, ("id", "covers", "risk", "plan"))
        ident = _unique_id(here, raw, seen, "is used by another plan row")
        rows.append(
            StandingRow(
                id=ident,
                covers=here.text(raw, "covers"),
                risk=here.text(raw, "risk"),
                plan=_plan(here, raw.get("plan"), "plan_row"),
            )
        )
    return tuple(rows)


def _plan(here: Place, raw: Any, kind: str) -> PlanSuggestion:
    if not isinstance(raw, dict):
        raise here.fail(
            "plan", f"must be a mapping with action, lead_agency and due_days, not {describe(raw)}"
        )
    for key in raw:
        if key not in ("action", "lead_agency", "due_days"):
            raise here.fail(
                f"plan.{key}", "is not a known field (expected action, lead_agency, due_days)"
            )
    for key in ("action", "lead_agency"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise here.fail(
                f"plan.{key}",
                "is missing" if value is None else f"must be non-empty text, not {describe(value)}",
            )
    days = raw.get("due_days")
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise here.fail(
            "plan.due_days", "is missing" if days is None else "must be a whole number >= 0"
        )
    if kind == SIGN_OF_HARM and days != 0:
        raise here.fail("plan.due_days", "must be 0: a sign of harm is acted on the same day")
    return PlanSuggestion(
        action=raw["action"].strip(), lead_agency=raw["lead_agency"].strip(), due_days=days
    )


# --- the rules ---------------------------------------------------------------------------------


def _rules(place: Place, data: Mapping[str, Any], question_ids: set[str]) -> tuple[Rule, ...]:
    out: list[Rule] = []
    seen: set[str] = set()
    for index, raw in enumerate(place.items(data, "rules", required=False), start=1):
        here = named(place, raw, "rule", f"rule {index}")
        here.mapping(
            raw, ("id", "text", "when", "min_level", "max_level", "immediate_action", "prompt")
        )
        oid = here.ident(raw, "id")
        if oid in seen:
            raise here.fail("id", "is used by another rule")
        seen.add(oid)
        has_min, has_max = raw.get("min_level") is not None, raw.get("max_level") is not None
        if has_min == has_max:
            raise here.fail(
                "min_level", "exactly one of min_level (a floor) or max_level (a cap) must be given"
            )
        min_level = here.whole(raw, "min_level", minimum=0, maximum=3) if has_min else None
        max_level = here.whole(raw, "max_level", minimum=0, maximum=3) if has_max else None
        if "when" not in raw:
            raise here.fail("when", "is missing")
        when = _condition(here, raw["when"], question_ids, "when")
        check_polarity(here, when, floor=has_min)
        immediate = here.text(raw, "immediate_action", required=False) or None
        if immediate and min_level != 3:
            raise here.fail("immediate_action", "is only allowed on a rule with min_level: 3")
        out.append(
            Rule(
                id=oid,
                text=here.text(raw, "text"),
                when=when,
                min_level=min_level,
                max_level=max_level,
                immediate_action=immediate,
                prompt=here.text(raw, "prompt", required=False) or None,
            )
        )
    return tuple(out)


def _answer_set(here: Place, raw: Any, path: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise here.fail(path, f"must be a list of answers (yes, past), not {describe(raw)}")
    out = []
    for item in raw:
        if isinstance(item, bool):
            raise here.fail(
                path, 'contains true/false: write "yes" in quotes (YAML reads a bare yes as true)'
            )
        if item not in (YES, PAST):
            if item in ANSWERS:
                raise here.fail(
                    path,
                    f"may only use yes and past, not {item!r}: 'no' and 'unknown' must never raise a level",
                )
            raise here.fail(path, f"{shown(item)} is not an answer (yes, past)")
        out.append(item)
    if PAST in out and YES not in out:
        raise here.fail(path, "includes past but not yes: changing past to yes would undo the rule")
    return tuple(a for a in (YES, PAST) if a in out)


def _condition(here: Place, raw: Any, question_ids: set[str], path: str) -> Condition:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise here.fail(path, f"must be a mapping with exactly one of {', '.join(CONDITION_OPS)}")
    ((op, arg),) = raw.items()
    sub = f"{path}.{op}"
    if op == "count":
        if not isinstance(arg, dict):
            raise here.fail(sub, "must be a mapping with kinds, answers and optionally at_least")
        for key in arg:
            if key not in ("kinds", "answers", "at_least"):
                raise here.fail(
                    f"{sub}.{key}", "is not a known field (expected kinds, answers, at_least)"
                )
        kinds = arg.get("kinds")
        if isinstance(kinds, str):
            kinds = [kinds]
        if not isinstance(kinds, list) or not kinds:
            raise here.fail(f"{sub}.kinds", "must be a list of question kinds")
        for kind in kinds:
            if kind not in SCORED_KINDS:
                raise here.fail(
                    f"{sub}.kinds", f"{shown(kind)} is not one of {', '.join(SCORED_KINDS)}"
                )
        at_least = arg.get("at_least", 1)
        if isinstance(at_least, bool) or not isinstance(at_least, int) or at_least < 1:
            raise here.fail(f"{sub}.at_least", "must be a whole number >= 1")
        return Condition(
            op="count",
            kinds=tuple(kinds),
            answers=_answer_set(here, arg.get("answers"), f"{sub}.answers"),
            at_least=at_least,
        )
    if op == "answer":
        if not isinstance(arg, dict):
            raise here.fail(sub, "must be a mapping with question and answers")
        for key in arg:
            if key not in ("question", "answers"):
                raise here.fail(f"{sub}.{key}", "is not a known field (expected question, answers)")
        qid = arg.get("question")
        if qid not in question_ids:
            raise here.fail(f"{sub}.question", f"names unknown question {shown(qid)}")
        return Condition(
            op="answer",
            question=qid,
            answers=_answer_set(here, arg.get("answers"), f"{sub}.answers"),
        )
    if op in ("age_under", "age_at_least"):
        if isinstance(arg, bool) or not isinstance(arg, int) or not MIN_AGE <= arg <= MAX_AGE + 1:
            raise here.fail(sub, f"must be a whole number from {MIN_AGE} to {MAX_AGE + 1}")
        return Condition(op=op, age=arg)
    if op in ("all", "any"):
        if not isinstance(arg, list) or not arg:
            raise here.fail(sub, "must be a non-empty list of conditions")
        return Condition(
            op=op,
            children=tuple(
                _condition(here, c, question_ids, f"{sub}[{i}]") for i, c in enumerate(arg)
            ),
        )
    if op == "not":
        return Condition(op="not", children=(_condition(here, arg, question_ids, sub),))
    raise here.fail(
        path, f"{op!r} is not a known condition (expected one of {', '.join(CONDITION_OPS)})"
    )


def _tactics(place: Place, data: Mapping[str, Any]) -> tuple[Tactic, ...]:
    out: list[Tactic] = []
    seen: set[str] = set()
    for index, raw in enumerate(place.items(data, "tactics"), start=1):
        here = named(place, raw, "tactic", f"tactic {index}")
        here.mapping(raw, ("id", "title", "help", "owner"))
        tid = _unique_id(here, raw, seen, "is used by another tactic")
        out.append(
            Tactic(
                id=tid,
                title=here.text(raw, "title"),
                help=here.text(raw, "help"),
                owner=here.text(raw, "owner"),
            )
        )
    return tuple(out)


# --- back to plain data ----------------------------------------------------------------------


def condition_to_dict(cond: Condition) -> dict[str, Any]:
    if cond.op == "count":
        return {
            "count": {
                "kinds": list(cond.kinds),
                "answers": list(cond.answers),
                "at_least": cond.at_least,
            }
        }
    if cond.op == "answer":
        return {"answer": {"question": cond.question, "answers": list(cond.answers)}}
    if cond.op in ("age_under", "age_at_least"):
        return {cond.op: cond.age}
    if cond.op == "not":
        return {"not": condition_to_dict(cond.children[0])}
    return {cond.op: [condition_to_dict(c) for c in cond.children]}


def _plan_dict(plan: PlanSuggestion | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {"action": plan.action, "lead_agency": plan.lead_agency, "due_days": plan.due_days}


def _drop_none(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def tool_to_dict(tool: ToolDefinition) -> dict[str, Any]:
    """The normalised plain-data form (defaults filled in); tool_from_dict reads it back unchanged."""
    head = {
        "id": tool.id,
        "kind": tool.kind,
        "title": tool.title,
        "version": tool.version,
        "description": tool.description or None,
        "audience": tool.audience or None,
    }
    if tool.kind == DISRUPTION:
        head["tactics"] = [
            {"id": t.id, "title": t.title, "help": t.help, "owner": t.owner} for t in tool.tactics
        ]
        return _drop_none(head)
    sections = []
    for s in tool.sections:
        questions = []
        for q in s.questions:
            if s.kind == PROTECTIVE:
                questions.append(
                    _drop_none(
                        {
                            "id": q.id,
                            "text": q.text,
                            "statement": q.statement,
                            "help": q.help or None,
                        }
                    )
                )
                continue
            item: dict[str, Any] = {
                "id": q.id,
                "text": q.text,
                "statement": q.statement,
                "help": q.help or None,
                "weight": q.weight,
                "time_window": q.time_window,
            }
            if q.time_window:
                item["past_weight"] = q.past_weight
            if q.plan:
                item["plan"] = _plan_dict(q.plan)
            if q.age_rules:
                item["age_rules"] = [
                    _drop_none(
                        {"max_age": r.max_age, "counts_as": r.counts_as, "plan": _plan_dict(r.plan)}
                    )
                    for r in q.age_rules
                ]
                item["if_age_unknown"] = q.if_age_unknown
            if q.facts:
                item["facts"] = [
                    _drop_none(
                        {
                            "id": f.id,
                            "label": f.label,
                            "short": f.short,
                            "help": f.help or None,
                            "choices": list(f.choices) or None,
                        }
                    )
                    for f in q.facts
                ]
            questions.append(_drop_none(item))
        sections.append(
            _drop_none(
                {
                    "id": s.id,
                    "title": s.title,
                    "kind": s.kind,
                    "help": s.help or None,
                    "narrative": s.narrative,
                    "questions": questions,
                }
            )
        )
    head.update(
        {
            "answer_labels": dict(tool.answer_labels),
            "review_date": tool.review_date,
            "judgement_note": tool.judgement_note,
            "emergency_note": tool.emergency_note,
            "categories": categories_to_dict(tool.categories) if tool.categories else None,
            "bands": [{"level": b.level, "min_score": b.min_score} for b in tool.bands],
            "sections": sections,
            "plan_rows": [
                {"id": r.id, "covers": r.covers, "risk": r.risk, "plan": _plan_dict(r.plan)}
                for r in tool.plan_rows
            ]
            or None,
            "rules": [
                _drop_none(
                    {
                        "id": o.id,
                        "text": o.text,
                        "when": condition_to_dict(o.when),
                        "min_level": o.min_level,
                        "max_level": o.max_level,
                        "immediate_action": o.immediate_action,
                        "prompt": o.prompt,
                    }
                )
                for o in tool.rules
            ],
        }
    )
    return _drop_none(head)
