"""Loading: files → typed models, every problem located as FILE:LINE:COL, and the checks across files."""
