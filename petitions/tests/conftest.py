from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    """Uploaded documents and evidence go to a temporary directory."""
    settings.MEDIA_ROOT = tmp_path
