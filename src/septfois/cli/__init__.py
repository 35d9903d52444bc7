"""The command line: a thin adapter from arguments and files to septfois's check()."""
