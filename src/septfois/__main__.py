"""Lets `python -m septfois` run the command line."""

from septfois.cli.main import entry

entry()
