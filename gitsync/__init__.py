"""gitsync: declarative GitOps for commercetools Connect Deployments."""

__version__ = "0.1.0"
