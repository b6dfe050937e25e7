"""The command line: thin Typer commands over the pipeline."""

from curriculum_gen.cli.app import app, main

__all__ = ["app", "main"]
