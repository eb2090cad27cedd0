"""Problems found in a feed: errors (nothing is imported) and warnings (the feed is read
anyway), each by file, physical line and column, capped so one bad column stays readable."""

from __future__ import annotations

from dataclasses import dataclass

from tsunagu.core.errors import TsunaguError

MAX_PROBLEMS = 100
MAX_WARNINGS = 200


@dataclass(frozen=True)
class GtfsProblem:
    """One thing wrong with a feed: where (file, physical line, column) and what, in Japanese."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f" {self.line}行目"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class GtfsError(TsunaguError):
    """The feed cannot be used; ``problems`` lists everything found (capped).

    ``warnings`` carries what would only have been warned about, so a page can show both.
    """

    def __init__(
        self,
        problems: list[GtfsProblem],
        *,
        truncated: bool = False,
        warnings: list[GtfsProblem] | None = None,
    ) -> None:
        self.problems = problems
        self.truncated = truncated
        self.warnings = warnings or []
        head = f"GTFS データに {len(problems)}{'件以上' if truncated else '件'}の問題があります。"
        super().__init__(head + " " + " / ".join(str(p) for p in problems[:5]), code="gtfs")


class ProblemList:
    """Collects problems up to a cap so one bad column does not produce 200,000 lines.

    The same message (file, column, text) is listed for its first few lines only; the rest
    are summed up in one closing line per message. ``total`` counts every occurrence.
    """

    SAME_MESSAGE_LINES = 3

    def __init__(self, cap: int = MAX_PROBLEMS) -> None:
        self.cap = cap
        self.items: list[GtfsProblem] = []
        self.truncated = False
        self.total = 0
        self._seen: dict[tuple[str, str | None, str], int] = {}

    def add(self, file: str, line: int | None, column: str | None, message: str) -> None:
        self.total += 1
        key = (file, column, message)
        count = self._seen.get(key, 0) + 1
        self._seen[key] = count
        if count > self.SAME_MESSAGE_LINES:
            return
        if len(self.items) >= self.cap:
            self.truncated = True
            return
        self.items.append(GtfsProblem(file, line, column, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def full(self) -> bool:
        return len(self.items) >= self.cap

    def listing(self) -> list[GtfsProblem]:
        """The kept problems plus one line per message that repeated beyond the first few."""
        items = list(self.items)
        for (file, column, message), count in self._seen.items():
            if count > self.SAME_MESSAGE_LINES:
                extra = count - self.SAME_MESSAGE_LINES
                items.append(
                    GtfsProblem(file, None, column, f"ほかに {extra} 行で同じ問題: {message}")
                )
        return items
