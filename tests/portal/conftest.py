"""Some portal tests (the Welsh interface's) go through the parents' pages with the citizen-side helpers."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "citizen_portal"))
