"""rolecompare: compare data careers side by side, from a validated knowledge base."""

__version__ = "0.1.0"
