"""`python -m casegrade` runs the command line."""

from casegrade.cli import app

app(prog_name="casegrade")
