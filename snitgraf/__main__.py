"""`python -m snitgraf` runs the CLI."""

from snitgraf.cli import main

main()
