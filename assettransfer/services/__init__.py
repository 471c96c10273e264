"""Use cases. The only code that writes; services flush, the caller commits."""
