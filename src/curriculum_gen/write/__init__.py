"""Writing: the only code that puts files on disk, whole or not at all."""
