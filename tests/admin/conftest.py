"""The staff-area tests build applications with the citizen-side factories (tests/citizen_portal)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "citizen_portal"))
