"""``python -m facilitation.catalogs ROOT``: the folder of a project's catalogs, relative to ROOT.

ROOT is the core (``.``: ``facilitation/translations``) or a plugin's folder with a
``babel.cfg`` and one package ``facilitation_<name>`` (``facilitation_<name>/translations``).
Used by ``make messages`` and ``make translations``.
"""

from __future__ import annotations

import sys
from pathlib import Path


def catalog_folder(root: Path) -> str:
    if (root / "facilitation" / "translations").is_dir():
        return "facilitation/translations"
    packages = sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "__init__.py").is_file())
    if len(packages) != 1:
        raise SystemExit(f"{root}: expected one package beside babel.cfg, found {packages}")
    return f"{packages[0]}/translations"


if __name__ == "__main__":
    print(catalog_folder(Path(sys.argv[1])))
