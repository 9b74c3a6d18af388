"""Loading form definitions into the database, one immutable version per change.

`flask --app portal forms load form_definitions` runs on every deploy, so it must never undo what
administrators did in the form builder. The rule, per file:

- the same content as the latest version: nothing changes ("Unchanged");
- the latest version was published from the form builder: the file is not loaded and the form is kept
  as the administrators left it ("Kept"). If the file also differs from the version last loaded from it,
  the report says it has changes that were not loaded (an administrator can import the file in the form
  builder to bring them in);
- otherwise a changed file becomes the next version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

import formsengine

from ..models import FormStatus, FormVersion

DEFINITION_SUFFIXES = (".yaml", ".yml", ".json")
BUILDER_SOURCE = "form builder"  # FormVersion.source of a version published from the form builder


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)  # "code v2"
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # "code v3: ..." (administrators changed it in the builder)
    problems: list[str] = field(default_factory=list)  # "file:line: path: message"

    @property
    def ok(self) -> bool:
        return not self.problems


def definition_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in DEFINITION_SUFFIXES and p.is_file())
    return [path]


def latest_version(db: Session, code: str) -> FormVersion | None:
    return db.scalars(
        select(FormVersion).where(FormVersion.code == code).order_by(FormVersion.version.desc()).limit(1)
    ).first()


def load_definitions(db: Session, paths: Iterable[Path]) -> LoadReport:
    """Load each file on its own: a file that fails validation loads nothing, the others still load.

    Loading the same file twice changes nothing; a changed definition becomes the next version, and
    the versions before it stop being offered to new applicants (drafts keep the version they began on).
    """
    report = LoadReport()
    for path in paths:
        try:
            form = formsengine.load_definition_file(path)
        except formsengine.DefinitionError as error:
            report.problems.extend(
                f"{problem.file}:{problem.line}: {problem.path}: {problem.message}" for problem in error.problems
            )
            continue
        except OSError as error:
            report.problems.append(f"{path}: cannot be read ({error.strerror})")
            continue
        current = latest_version(db, form.code)
        if current is not None and current.fingerprint == form.fingerprint:
            report.unchanged.append(f"{form.code} v{current.version}")
            continue
        if current is not None and current.source == BUILDER_SOURCE:
            report.kept.append(_kept_because_of_builder(db, form, current, path))
            continue
        version = 1 if current is None else current.version + 1
        status = FormStatus.LIVE if form.live else FormStatus.DRAFT
        if status is FormStatus.LIVE:
            db.execute(
                update(FormVersion)
                .where(FormVersion.code == form.code, FormVersion.status == FormStatus.LIVE)
                .values(status=FormStatus.RETIRED)
            )
        db.add(
            FormVersion(
                code=form.code,
                version=version,
                title=form.title,
                status=status,
                fingerprint=form.fingerprint,
                definition=form.to_dict(),
                source=str(path),
            )
        )
        db.commit()
        report.created.append(f"{form.code} v{version}")
    return report


def _kept_because_of_builder(db: Session, form: formsengine.Form, current: FormVersion, path: Path) -> str:
    last_from_file = db.scalars(
        select(FormVersion.fingerprint)
        .where(FormVersion.code == form.code, FormVersion.source == str(path))
        .order_by(FormVersion.version.desc())
        .limit(1)
    ).first()
    reason = f"{form.code} v{current.version}: administrators changed it in the form builder"
    if last_from_file != form.fingerprint:
        reason += f"; {path} has changes that were not loaded (import the file in the form builder to use them)"
    return reason


def live_forms(db: Session) -> list[FormVersion]:
    return list(
        db.scalars(select(FormVersion).where(FormVersion.status == FormStatus.LIVE).order_by(FormVersion.title))
    )
