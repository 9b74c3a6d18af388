"""The interface's translations, compiled in memory from the committed .po files when the portal starts.

Only `portal/translations/<language>/LC_MESSAGES/messages.po` is kept in git: a compiled .mo is a build
product that would go stale beside it. Compiling takes a few tens of milliseconds, once per process and
catalogue (again only if the file changes).

An entry without a translation, or with any of its plural forms missing, is left out of the compiled
catalogue, so gettext shows the English text instead of an empty string. Fuzzy entries are left out too,
as `pybabel compile` would.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"


def catalogue_path(language: str, directory: Path = TRANSLATIONS_DIR) -> Path:
    return directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path) -> Catalog:
    """The .po file as a Babel catalogue; a malformed file fails loudly rather than half-loading."""
    with path.open("rb") as file:
        return read_po(file, abort_invalid=True)


def _is_translated(strings: str | tuple[str, ...] | list[str]) -> bool:
    if isinstance(strings, str):
        return bool(strings)
    return bool(strings) and all(strings)


def compile_catalogue(catalog: Catalog) -> Translations:
    """The catalogue's translated, non-fuzzy entries as gettext translations."""
    for message in list(catalog):
        if message.id and (message.fuzzy or not _is_translated(message.string)):
            catalog.delete(message.id, message.context)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@lru_cache(maxsize=8)
def _compiled(path: Path, _modified_ns: int, _size: int) -> Translations:
    return compile_catalogue(read_catalogue(path))


def load_translations(languages: Iterable[str], directory: Path = TRANSLATIONS_DIR) -> dict[str, Translations]:
    """Each language's compiled catalogue; a language without a .po file (English, the source) has none."""
    loaded = {}
    for language in languages:
        path = catalogue_path(language, directory)
        if path.is_file():
            stat = path.stat()
            loaded[language] = _compiled(path, stat.st_mtime_ns, stat.st_size)
    return loaded
