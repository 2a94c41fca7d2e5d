"""Importers: official data files to a complete KB folder.

    from rolecompare.importers.onet import import_onet   # the O*NET database

Each importer writes a KB that `rolecompare.kb.load.validate_dir` accepts, every
fact with a record that names the file and row it reads. Nothing here is
imported at start-up: the CLI imports an importer only when it runs.
"""
