"""Adoption: turn live Deployments into manifests (``gitsync import``, issue 11).

``read`` is the only module here that talks to the API; ``document`` (live → manifest document),
``names`` (secured values → ``${NAME}``) and ``yamltext`` (document → file text) are pure.
"""
