"""The planning core that ``plan``, ``apply`` and ``import`` share: inputs → clients → live state → ``Plan``.

It sits between the commands and the planner (cli → render → apply → core → plan → live → manifest/api):
no click, no rendering, no exit codes. Errors are raised as ``GitsyncError`` values (a ``ManifestError``
carries every problem) for the CLI to print; notes are returned for it to show.
"""
