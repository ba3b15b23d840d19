"""Console accounts: who may sign in to the HR console, and what each may see and do.

Pure values and rules: the password hash itself is made in the service layer (it is slow on
purpose), the lock-out arithmetic and the department scope are here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from daka.domain.directory import Department, User


class Role(StrEnum):
    """What a console account may do."""

    ADMIN = "admin"  # everything of one corp
    DEPARTMENT = "department"  # everything, but only in its departments and their children
    VIEWER = "viewer"  # read only, the whole corp (or its departments, when given some)


# Lock-out: this many failed sign-ins in a row lock the account for LOCK_SEC.
MAX_FAILURES = 5
LOCK_SEC = 15 * 60


@dataclass(frozen=True, slots=True)
class Admin:
    """One console account of one corp (``password_hash`` is an argon2id string)."""

    id: int
    corp_id: int
    username: str
    password_hash: str
    role: Role
    departments: tuple[int, ...] = ()
    disabled: bool = False
    failures: int = 0
    locked_until: int = 0
    created_at: int = 0

    @property
    def can_act(self) -> bool:
        """Whether the account may change anything (a viewer only reads)."""
        return self.role is not Role.VIEWER

    @property
    def scoped(self) -> bool:
        """Whether the account sees only some departments."""
        return self.role is Role.DEPARTMENT or bool(self.departments)

    def locked(self, now: int) -> bool:
        return self.locked_until > now


def after_failure(admin: Admin, now: int) -> tuple[int, int]:
    """``(failures, locked_until)`` after one more failed sign-in: the count goes up, and
    reaching :data:`MAX_FAILURES` locks the account for :data:`LOCK_SEC` (the count starts
    again then, so each later run of failures locks it again)."""
    failures = admin.failures + 1
    if failures >= MAX_FAILURES:
        return 0, now + LOCK_SEC
    return failures, admin.locked_until


def subtree(departments: Mapping[int, Department], roots: Iterable[int]) -> frozenset[int]:
    """``roots`` and every department below them."""
    children: dict[int, list[int]] = {}
    for d in departments.values():
        children.setdefault(d.parent_id, []).append(d.id)
    seen: set[int] = set()
    todo = [r for r in roots if r in departments]
    while todo:
        dept = todo.pop()
        if dept not in seen:
            seen.add(dept)
            todo.extend(children.get(dept, ()))
    return frozenset(seen)


def visible_departments(admin: Admin, departments: Mapping[int, Department]) -> frozenset[int]:
    """The departments ``admin`` sees: all of the corp, or its own and their children."""
    if not admin.scoped:
        return frozenset(departments)
    return subtree(departments, admin.departments)


def visible_users(
    admin: Admin, users: Mapping[str, User], departments: Mapping[int, Department]
) -> list[str]:
    """The people ``admin`` sees, in the directory's order: a scoped account sees those in
    at least one of its departments (sub-departments included)."""
    if not admin.scoped:
        return list(users)
    seen = visible_departments(admin, departments)
    return [u.userid for u in users.values() if any(d in seen for d in u.department_ids)]
