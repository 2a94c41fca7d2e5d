"""The knowledge base: its schema (schema.py, types.py), its files (files.py), the rules
across them (rules.py), validation (load.py) and the validated copy kept between runs
(cache.py)."""
