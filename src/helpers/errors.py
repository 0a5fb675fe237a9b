"""The project's own errors: each carries a message meant for a user, one line a problem."""


class TallyError(Exception):
    """A user-facing error; the CLI prints its message and exits non-zero."""

    exit_code = 1


class DataError(TallyError):
    """The raw data has problems; ``problems`` holds one line each (``file:line: column: what``)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class ParseError(TallyError):
    """A release text could not be turned into figures."""


class MonthError(TallyError):
    """A month that is malformed or outside the data."""


class UsageError(TallyError):
    """A command given arguments it cannot use (a malformed span, an unknown metric)."""

    exit_code = 2
