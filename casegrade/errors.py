"""The one base class of casegrade's own errors, so that the command line can report them all alike."""


class CasegradeError(Exception):
    """A request casegrade cannot carry out; the message says what to do next."""
