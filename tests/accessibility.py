"""axe-core checks for browser tests: WCAG 2.2 A and AA, failing on any violation."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

AXE_SOURCE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG 2.2 A and AA) on the page and fail on any violation, naming rule and node."""
    if not AXE_SOURCE.exists():
        raise RuntimeError(f"axe-core is not installed at {AXE_SOURCE}: run `make install` (npm ci)")
    # Evaluated through the DevTools protocol, not as a <script> tag, so the page's CSP stays in force.
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — {node['target']} — {violation['helpUrl']}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]
    assert not problems, f"axe found accessibility problems on {page.url}:\n" + "\n".join(problems)
