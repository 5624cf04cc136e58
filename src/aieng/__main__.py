"""`python -m aieng` runs the CLI."""

from aieng.cli import main

main()
