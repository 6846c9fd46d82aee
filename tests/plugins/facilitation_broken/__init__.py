"""A plugin that cannot even be imported (its dependency is missing)."""

import facilitation_missing_dependency  # noqa: F401
