"""requirements.txt mirrors pyproject.toml's runtime dependencies, for those who expect one."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_requirements_txt_is_in_sync_with_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    requirements = [line for line in lines if line and not line.startswith(("#", "-"))]
    assert requirements == project["dependencies"]
