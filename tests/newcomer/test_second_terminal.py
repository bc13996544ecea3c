"""The newcomer's second terminal: in a fresh clone, after `make setup`, every `manage.py` command of README.md's
code blocks works as typed, with nothing exported (no DEBUG, SECRET_KEY, DATABASE_URL or settings module).

The commands are read from README.md, so the test follows the README as it changes. The blocks of its
"Deploy on PostgreSQL" section are left out: they set a deployment's own environment (`export SECRET_KEY=…`,
`DATABASE_URL`, …) and need its PostgreSQL server. Placeholders: FILE is a visit sheet this test writes, NAME a
client system's name. The clone is made in `mktemp -d` (mode 700) with the running venv as its `.venv`.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DEPLOY_HEADING = "## Deploy on PostgreSQL"
# What a newcomer's shell does not have: everything that would make the clone work without its own settings.
STRIPPED = {
    "DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MINQING_DEV_SETTINGS", "MINQING_VAR_DIR",
    "SQLITE_PATH", "REDIS_URL", "HUEY_SQLITE_PATH", "HUEY_NAME", "PYTHONPATH",
}  # fmt: skip
# The clone always runs on its own SQLite database, whatever the suite runs on: the PostgreSQL lane of `make test`
# leaves this module out (--ignore in the Makefile), since it would only repeat it.
# An old sheet typed in now: every row is a late entry (VISIT_LATE_DAYS) and gives its reason (补录原因).
VISIT_SHEET = "姓名,日期,时长,类型,地点,补录原因\n杨立新,2022-06-03,3,实地走访,长宇社区,纸质台账补录\n"


def readme_commands(text: str) -> list[str]:
    """The `manage.py` lines of the README's code blocks, outside the deployment section, in order."""
    before_deploy = text.split(DEPLOY_HEADING, 1)[0]
    commands = []
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", before_deploy, flags=re.DOTALL | re.MULTILINE):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if "manage.py " in line:
                commands.append(line)
    return commands


def test_the_readme_shows_the_second_terminal_commands_and_names_no_command_it_does_not_run() -> None:
    text = README.read_text("utf-8")
    commands = readme_commands(text)
    assert len(commands) >= 10 and all(c.startswith(".venv/bin/python manage.py ") for c in commands)
    run = {shlex.split(c)[2] for c in commands}
    named = set(re.findall(r"manage\.py (\w+)", text.split(DEPLOY_HEADING, 1)[0]))
    assert named <= run, f"README names commands its code blocks do not show: {sorted(named - run)}"


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in STRIPPED}
    env["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
    return env


@pytest.fixture(scope="module")
def clone() -> Iterator[Path]:
    """A fresh clone of HEAD in a private temporary directory, set up by `make setup` with the current venv."""
    parent = Path(tempfile.mkdtemp(prefix="minqing-newcomer-"))
    assert (parent.stat().st_mode & 0o777) == 0o700
    checkout = parent / "minqing"
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(checkout)], check=True, capture_output=True)
        (checkout / ".venv").symlink_to(Path(sys.prefix))
        # `-o` takes the venv's install marker as made: nothing is installed into the shared venv.
        done = subprocess.run(
            ["make", "--no-print-directory", "-o", ".venv/.installed", "setup"],
            cwd=checkout, env=_environment(), capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert done.returncode == 0, f"make setup failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        yield checkout
    finally:
        subprocess.run(["rm", "-rf", str(parent)], check=False)


def test_make_setup_writes_private_development_settings_that_git_ignores(clone: Path) -> None:
    settings_file = clone / "var" / "dev-settings.env"
    assert (settings_file.stat().st_mode & 0o777) == 0o600
    lines = dict(line.split("=", 1) for line in settings_file.read_text().splitlines() if "=" in line)
    assert lines["DEBUG"] == "1" and len(lines["SECRET_KEY"]) >= 50 and lines["SQLITE_PATH"].startswith(str(clone))
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True, check=True)
    assert status.stdout == ""  # var/ (settings, database, job store) is ignored


def test_every_readme_command_works_as_typed_in_a_second_terminal(clone: Path) -> None:
    (clone / "visits.csv").write_text(VISIT_SHEET, encoding="utf-8")
    failures = []
    for command in readme_commands(README.read_text("utf-8")):
        argv = [{"FILE": "visits.csv", "NAME": "readme-client"}.get(word, word) for word in shlex.split(command)]
        done = subprocess.run(argv, cwd=clone, env=_environment(), capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            failures.append(f"$ {command}\nexit {done.returncode}\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
    assert not failures, "\n\n".join(failures)
    assert (clone / "tasks.docx").stat().st_size > 0 and (clone / "report.docx").stat().st_size > 0


def test_without_the_development_settings_the_clone_refuses_to_start_without_a_secret_key(clone: Path) -> None:
    env = {**_environment(), "MINQING_DEV_SETTINGS": str(clone / "var" / "no-such-file.env")}
    done = subprocess.run(
        [".venv/bin/python", "manage.py", "check"], cwd=clone, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0 and "The setting SECRET_KEY is required" in done.stderr
