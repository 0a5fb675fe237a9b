"""The project's own errors: each carries a message meant for a user, one line a problem."""


class TallyError(Exception):
    """A user-facing error; the CLI prints its message and exits non-zero (1: a problem of the data or
    the files; 2: a usage error)."""

    exit_code = 1


class DataError(TallyError):
    """The raw data has problems; ``problems`` holds one line each (``file:line: column: what``)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class ParseError(TallyError):
    """A release text could not be turned into figures."""


class ValueTooLarge(ParseError):
    """A number over the largest value a figure may have (``vocab.MAX_VALUE``)."""


class UsageError(TallyError):
    """The command was given a wrong argument (not a problem of the data): exit status 2, as for
    argparse's own usage errors."""

    exit_code = 2


class MonthError(UsageError):
    """A month that is malformed or outside the data."""


class UsageError(TallyError):
    """A command given arguments it cannot use (a malformed span, an unknown metric)."""

    exit_code = 2
