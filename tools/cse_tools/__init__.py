"""CSE tools: screening, risk assessment and planning logic (pure Python; runs in CPython and Pyodide).

Modules (standard library only at run time; PyYAML only inside catalog.load_directory):
- model      frozen dataclasses of a tool definition (ToolDefinition, Section, Question, ...)
- schema     tool_from_dict / tool_to_dict: plain data <-> ToolDefinition, with validation
- catalog    load_directory(path), bundle_json(tools), load_bundle(text), default_catalog()
- engine     assess(tool, age, answers, review_date=None) -> result dict (no I/O)
- planning   draft_plan(tool, age, answers, start), add_days, blank_disruption_plan, overdue
- files      saved-file formats (answers, safety plan, disruption plan), version 1
- meeting    merge(sources, catalog) -> several agencies' files combined; the meeting file; calendar
- explain    rules_table(tool) -> dict, render_text(tool) -> str
- browser    handle(request_json) -> reply_json, for the pages (never raises)
- profile    profile(sources, catalog, today, period): the partnership profile, small numbers hidden
- cli        the `cse-tools` command (validate, explain, assess, plan, profile)
"""
