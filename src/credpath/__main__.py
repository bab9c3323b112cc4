"""`python -m credpath` runs the command line."""

from credpath.cli import main

main()
