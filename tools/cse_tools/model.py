"""The data model of a tool definition (frozen dataclasses, no behaviour beyond look-ups)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

# Answers, from most to least concern. "past" is only offered on questions with a time window.
YES, PAST, NO, UNKNOWN = "yes", "past", "no", "unknown"
ANSWERS: tuple[str, ...] = (YES, PAST, NO, UNKNOWN)
CONCERN_ANSWERS: tuple[str, ...] = (YES, PAST)

# Section kinds. The first three are scored; protective factors are shown beside the score.
VULNERABILITY = "vulnerability"
RISK_INDICATOR = "risk_indicator"
SIGN_OF_HARM = "sign_of_harm"
PROTECTIVE = "protective"
SECTION_KINDS: tuple[str, ...] = (VULNERABILITY, RISK_INDICATOR, SIGN_OF_HARM, PROTECTIVE)
SCORED_KINDS: tuple[str, ...] = (VULNERABILITY, RISK_INDICATOR, SIGN_OF_HARM)
# What an age rule may turn a question into; "none" = not a concern on its own at that age.
NOT_A_CONCERN = "none"
COUNTS_AS: tuple[str, ...] = (*SCORED_KINDS, NOT_A_CONCERN)

KIND_LABELS = {
    VULNERABILITY: "Vulnerabilities",
    RISK_INDICATOR: "Risk indicators",
    SIGN_OF_HARM: "Signs of harm",
    PROTECTIVE: "Protective factors",
    NOT_A_CONCERN: "not a concern on its own",
}

ASSESSMENT = "assessment"
DISRUPTION = "disruption"
TOOL_KINDS: tuple[str, ...] = (ASSESSMENT, DISRUPTION)

LEVELS: tuple[int, ...] = (0, 1, 2, 3)
MIN_AGE, MAX_AGE = 0, 17


@dataclass(frozen=True)
class PlanSuggestion:
    """What a safety plan row suggests for a risk: the action, who leads, and within how many days."""

    action: str
    lead_agency: str
    due_days: int


@dataclass(frozen=True)
class StandingRow:
    """A row every drafted safety plan starts with, whatever the answers: one thing procedure
    chapter 7 says a good plan covers (`covers`, the chapter's own words, rendered from here)."""

    id: str
    covers: str
    risk: str
    plan: PlanSuggestion


@dataclass(frozen=True)
class AgeRule:
    """For ages up to and including `max_age` (after the previous rule), the question counts as `counts_as`."""

    max_age: int
    counts_as: str
    plan: PlanSuggestion | None = None


@dataclass(frozen=True)
class Fact:
    """A fact recorded beside a question, never scored: how often a child goes missing, the adult's
    approximate age... It is kept in the saved file and written into the safety plan row's notes."""

    id: str
    label: str  # the form's label
    short: str  # how the plan's notes name it
    help: str = ""
    choices: tuple[str, ...] = ()  # empty: free text


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    statement: str = ""
    weight: int = 0
    past_weight: int = 0
    time_window: bool = False
    help: str = ""
    plan: PlanSuggestion | None = None
    age_rules: tuple[AgeRule, ...] = ()
    if_age_unknown: str | None = None
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    kind: str
    questions: tuple[Question, ...]
    help: str = ""
    narrative: bool = False


@dataclass(frozen=True)
class Trigger:
    """What a level triggers: the action, who does it and by when. `done_in`: the id of the tool
    that is this step (completing it), so that tool's own result leaves it out."""

    action: str
    who: str
    by_when: str
    done_in: str = ""


@dataclass(frozen=True)
class Level:
    """One category of risk (0-3), as defined in categories.yaml."""

    level: int
    name: str
    meaning: str
    criteria: tuple[str, ...]
    triggers: tuple[Trigger, ...]
    review_days: int
    review: str = ""
    example: str = ""

    @property
    def label(self) -> str:
        """The level's one name: "Category 2: significant risk" ("No category" for level 0)."""
        return self.name if self.level == 0 else f"{self.short}: {self.name}"

    @property
    def short(self) -> str:
        """ "Category 2" ("No category" for level 0)."""
        return self.name if self.level == 0 else f"Category {self.level}"

    @property
    def summary(self) -> str:
        return self.meaning

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(t.action for t in self.triggers)

    def next_steps(self, tool_id: str) -> tuple[Trigger, ...]:
        """What the level triggers for someone using the tool `tool_id`: every trigger except the
        step that tool itself is (the risk assessment never tells you to complete it)."""
        return tuple(t for t in self.triggers if t.done_in != tool_id)


@dataclass(frozen=True)
class Categories:
    """The one definition of the categories: levels 0-3, the time window, the vulnerabilities note."""

    time_window_months: int
    time_window: str
    vulnerabilities_note: str
    levels: tuple[Level, ...]
    source: str = field(default="", compare=False)


@dataclass(frozen=True)
class Band:
    """Scores from `min_score` up to the next band's min_score - 1 give `level`."""

    level: int
    min_score: int


@dataclass(frozen=True)
class Condition:
    """A rule's condition, a small tree.

    op is one of:
    - "count": at least `at_least` questions counting as one of `kinds` have an answer in `answers`
    - "answer": question `question` has an answer in `answers`
    - "age_under" / "age_at_least": the child's age compared with `age` (false when no age is given)
    - "all" / "any": every / some child condition holds
    - "not": the single child condition does not hold
    """

    op: str
    kinds: tuple[str, ...] = ()
    question: str | None = None
    answers: tuple[str, ...] = ()
    at_least: int = 1
    age: int | None = None
    children: tuple["Condition", ...] = ()


@dataclass(frozen=True)
class Rule:
    """A rule applied after the score: when `when` holds, the level is at least `min_level`
    (a floor) or at most `max_level` (a cap). Floors win over caps."""

    id: str
    text: str
    when: Condition
    min_level: int | None = None
    max_level: int | None = None
    immediate_action: str | None = None
    prompt: str | None = None


@dataclass(frozen=True)
class Tactic:
    id: str
    title: str
    help: str
    owner: str


@dataclass(frozen=True)
class ToolDefinition:
    id: str
    title: str
    version: int
    kind: str = ASSESSMENT
    description: str = ""
    audience: str = ""
    time_window_months: int = 6
    answer_labels: dict[str, str] = field(default_factory=dict)
    review_date: bool = False
    judgement_note: str = ""
    emergency_note: str = ""
    levels: tuple[Level, ...] = ()
    bands: tuple[Band, ...] = ()
    sections: tuple[Section, ...] = ()
    rules: tuple[Rule, ...] = ()
    tactics: tuple[Tactic, ...] = ()
    plan_rows: tuple[StandingRow, ...] = ()
    categories: Categories | None = None
    source: str = field(default="", compare=False)

    def questions(self) -> Iterator[tuple[Section, Question]]:
        for section in self.sections:
            for question in section.questions:
                yield section, question

    def question(self, question_id: str) -> Question | None:
        for _section, question in self.questions():
            if question.id == question_id:
                return question
        return None

    def section_of(self, question_id: str) -> Section | None:
        for section, question in self.questions():
            if question.id == question_id:
                return section
        return None

    def level(self, level: int) -> Level:
        for item in self.levels:
            if item.level == level:
                return item
        raise KeyError(level)

    def tactic(self, tactic_id: str) -> Tactic | None:
        for tactic in self.tactics:
            if tactic.id == tactic_id:
                return tactic
        return None
