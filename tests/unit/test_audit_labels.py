"""Every audit action the code records has a label for the audit log page."""

import re
from pathlib import Path

from app.accounts.admin_views import ACTION_LABELS

APP = Path(__file__).resolve().parents[2] / "app"


def test_every_recorded_action_has_a_label():
    actions = set()
    for path in APP.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        actions |= set(
            re.findall(r"audit\.record\(\s*[\w.\[\]\"]+,\s*\"([a-z_]+\.[a-z_]+)\"", text)
        )
        actions |= set(re.findall(r"\brecord\(\s*\w+,\s*\"([a-z_]+\.[a-z_]+)\"", text))
    assert len(actions) > 40
    assert actions - set(ACTION_LABELS) == set()
