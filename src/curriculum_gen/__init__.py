"""curriculum-gen: workshop packs that weave soft-skill activities into every session."""

__version__ = "0.1.0"
