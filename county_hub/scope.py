"""Scope: the (site, department) pairs a device covers. Department "*" covers every department at a site."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_
from sqlalchemy.sql.elements import SQLCoreOperations

ALL = "*"

Pair = tuple[str, str]


@dataclass(frozen=True)
class Scope:
    pairs: frozenset[Pair]

    def covers(self, site_code: str, department_code: str) -> bool:
        return (site_code, department_code) in self.pairs or (site_code, ALL) in self.pairs

    def touches(self, site_code: str, department_code: str) -> bool:
        """Whether a pair that may itself be a wildcard overlaps this scope (for the user directory)."""
        if department_code == ALL:
            return any(site == site_code for site, _ in self.pairs)
        return self.covers(site_code, department_code)

    def sql(self, site_col: SQLCoreOperations[str], dept_col: SQLCoreOperations[str]) -> ColumnElement[bool]:
        """A WHERE clause selecting the rows of this scope."""
        whole_sites = sorted(site for site, dept in self.pairs if dept == ALL)
        clauses: list[ColumnElement[bool]] = []
        if whole_sites:
            clauses.append(site_col.in_(whole_sites))
        for site, dept in sorted(self.pairs):
            if dept != ALL and site not in whole_sites:
                clauses.append(and_(site_col == site, dept_col == dept))
        return or_(*clauses) if clauses else false()

    def split(self) -> tuple[list[str], list[Pair]]:
        """(whole sites, the other pairs): the scope as :meth:`sql` reads it, for fixed SQL with arrays."""
        whole_sites = sorted(site for site, dept in self.pairs if dept == ALL)
        return whole_sites, sorted((s, d) for s, d in self.pairs if d != ALL and s not in whole_sites)

    def as_list(self) -> list[dict[str, str]]:
        return [{"site_code": s, "department_code": d} for s, d in sorted(self.pairs)]

    @classmethod
    def of(cls, pairs: Iterable[Pair]) -> Scope:
        return cls(frozenset(pairs))


def parse_pair(text: str) -> Pair:
    """'SITE:DEPT' (or 'SITE:*') as typed on the command line."""
    site, sep, dept = text.partition(":")
    if not sep or not site.strip() or not dept.strip():
        raise ValueError(f"{text!r} is not SITE:DEPT (use SITE:* for every department of a site)")
    return site.strip(), dept.strip()
