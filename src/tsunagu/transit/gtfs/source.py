"""Reading a feed's files: a zip (nested zips, one folder down, any name case) or a folder,
and each CSV file as header positions plus (line number, cells) rows."""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from tsunagu.transit.gtfs.problems import (
    GtfsError,
    GtfsProblem,
)

# A member larger than this once unpacked is refused (a "zip bomb" must not exhaust memory).
MAX_FILE_BYTES = 1024 * 1024 * 1024

# agency.txt is required by GTFS but a feed without it is still usable (warning).
REQUIRED_FILES = ("stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
# Files that must decode, or the timetable would be wrong: an error, not a warning.
CORE_FILES = frozenset(
    {*REQUIRED_FILES, "agency.txt", "calendar.txt", "calendar_dates.txt", "frequencies.txt"}
)
# Files this reader interprets; everything else is listed in GtfsFeed.extra_files.
KNOWN_FILES = frozenset(
    {
        *REQUIRED_FILES,
        "agency.txt",
        "calendar.txt",
        "calendar_dates.txt",
        "frequencies.txt",
        "feed_info.txt",
        "shapes.txt",
        "translations.txt",
    }
)


class FeedSource:
    """The files of a feed, from a zip or a folder (files may sit one folder down).

    Names are matched without regard to case (``Stops.txt`` from some Windows tools).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files: dict[str, object] = {}  # lower-case basename → zip member name or Path
        self.zip: zipfile.ZipFile | None = None
        if path.is_dir():
            base = path
            if not self._has_stops(p.name for p in path.iterdir() if p.is_file()):
                subdirs = [
                    p
                    for p in path.iterdir()
                    if p.is_dir() and self._has_stops(c.name for c in p.iterdir() if c.is_file())
                ]
                if len(subdirs) == 1:
                    base = subdirs[0]
            for p in sorted(base.iterdir()):
                if p.is_file():
                    self.files.setdefault(p.name.lower(), p)
        elif path.is_file() and zipfile.is_zipfile(path):
            self.zip = zipfile.ZipFile(path)
            self.zip = self._unwrap_nested(self.zip)
            members = [
                m
                for m in self.zip.infolist()
                if not m.is_dir()
                and not m.filename.startswith("__MACOSX/")
                and not m.filename.rsplit("/", 1)[-1].startswith("._")
            ]
            prefix = ""
            for m in members:
                if m.filename.rsplit("/", 1)[-1].lower() == "stops.txt":
                    prefix = m.filename[: -len("stops.txt")]
                    break
            for m in members:
                if m.filename.startswith(prefix) and "/" not in m.filename[len(prefix) :]:
                    self.files.setdefault(m.filename[len(prefix) :].lower(), m.filename)
        else:
            raise GtfsError(
                [
                    GtfsProblem(
                        path.name,
                        None,
                        None,
                        "GTFS の zip ファイルまたはフォルダーではありません。",
                    )
                ]
            )

    @staticmethod
    def _unwrap_nested(archive: zipfile.ZipFile) -> zipfile.ZipFile:
        """Some portals wrap the feed zip in another zip: open the single inner zip."""
        names = [m.filename for m in archive.infolist() if not m.is_dir()]
        if any(n.rsplit("/", 1)[-1].lower() == "stops.txt" for n in names):
            return archive
        inner = [n for n in names if n.lower().endswith(".zip") and not n.startswith("__MACOSX/")]
        if len(inner) != 1 or archive.getinfo(inner[0]).file_size > MAX_FILE_BYTES:
            return archive
        data = archive.read(inner[0])
        try:
            nested = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            return archive
        archive.close()
        return nested

    @staticmethod
    def _has_stops(names: Iterable[str]) -> bool:
        return any(n.lower() == "stops.txt" for n in names)

    def names(self) -> list[str]:
        return sorted(self.files)

    def has(self, name: str) -> bool:
        return name in self.files

    def size(self, name: str) -> int:
        ref = self.files[name]
        if self.zip is not None:
            return self.zip.getinfo(str(ref)).file_size
        assert isinstance(ref, Path)
        return ref.stat().st_size

    def read_bytes(self, name: str) -> bytes:
        ref = self.files[name]
        if self.zip is not None:
            if self.zip.getinfo(str(ref)).file_size > MAX_FILE_BYTES:
                raise GtfsError(
                    [GtfsProblem(name, None, None, "ファイルが大きすぎます（展開後 1GB まで）。")]
                )
            return self.zip.read(str(ref))
        assert isinstance(ref, Path)
        return ref.read_bytes()

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


# Long shapes / translations cells must not stop the reader.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class CsvTable:
    """One CSV file: header positions and an iterator of (line number, values)."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        # NUL bytes (seen in files exported from spreadsheets) make csv raise; drop them.
        if "\x00" in text:
            text = text.replace("\x00", "")
        self._reader = csv.reader(io.StringIO(text, newline=""))
        try:
            header = next(self._reader)
        except StopIteration:
            header = []
        self.columns: dict[str, int] = {}
        for i, h in enumerate(header):
            key = h.strip().lstrip("\ufeff").strip().lower()
            if key and key not in self.columns:
                self.columns[key] = i
        self.empty = not self.columns
        self.row_count = 0

    def index(self, column: str) -> int | None:
        return self.columns.get(column)

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # blank lines / ",,,," (common at the end of hand-edited files)
            self.row_count += 1
            yield reader.line_num, row


def cell(row: list[str], idx: int | None) -> str:
    if idx is None or idx >= len(row):
        return ""
    return row[idx].strip()
