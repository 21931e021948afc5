"""Placeholder: filled in by the work on this module."""


def register(env) -> None:
    pass
