"""Adoption: turn live Deployments into manifests (``gitsync import``, issue 11).

``read`` is the only module here that talks to the API, through ``gitsync.live`` (the reads and plain
values plan shares); ``document`` (live values → manifest document), ``names`` (secured values →
``${NAME}``) and ``yamltext`` (document → file text, PyYAML with every style choice made) are pure.
"""
