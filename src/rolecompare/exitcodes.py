"""What rolecompare's exit codes mean (docs/troubleshooting.md, "Exit codes"); no imports,
for a fast start."""

DATA_ERROR = 1
USAGE_ERROR = 2
INTERRUPTED = 130
INTERNAL_ERROR = 70  # EX_SOFTWARE: a bug in rolecompare, not the user's doing
