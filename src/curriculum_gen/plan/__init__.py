"""Planning: a profile and the library → a Plan (pure), and the statistics that compare groups."""
