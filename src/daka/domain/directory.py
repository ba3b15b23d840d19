"""A corp's directory and which rule applies to whom.

Precedence when several rules cover a user (WeCom's FAQ): a rule naming the person wins, else
the rule naming the deepest department (a department covers all its sub-departments), else the
newest rule. A rule that reaches the user only through a tag ranks below any department match.
``white_users`` are exempt: the rule never applies to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Department:
    id: int
    name: str
    parent_id: int


@dataclass(frozen=True, slots=True)
class User:
    userid: str
    name: str
    department_ids: tuple[int, ...] = ()
    alias: str = ""  # WeCom's 别名 (``alias``), the reports' ``name_ex``


@dataclass(frozen=True, slots=True)
class RuleScope:
    """Who a rule covers (WeCom ``range`` and ``white_users``) and when it was created."""

    rule_id: int
    created_at: int
    userids: frozenset[str] = field(default_factory=frozenset)
    department_ids: frozenset[int] = field(default_factory=frozenset)
    tag_ids: frozenset[int] = field(default_factory=frozenset)
    exempt_userids: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Directory:
    """Users, departments and tags of one corp, plus the scopes of its rules."""

    users: Mapping[str, User]
    departments: Mapping[int, Department]
    tag_members: Mapping[int, frozenset[str]]
    scopes: tuple[RuleScope, ...]

    def department_depth(self, dept_id: int) -> int:
        """Depth of a department: the root (parent 0 or unknown) is 0."""
        depth = 0
        seen = {dept_id}
        current = self.departments.get(dept_id)
        while current is not None and current.parent_id in self.departments:
            if current.parent_id in seen:  # a cycle in a hand-written org file
                break
            seen.add(current.parent_id)
            depth += 1
            current = self.departments[current.parent_id]
        return depth

    def ancestors_and_self(self, dept_id: int) -> list[int]:
        """The department and every department above it."""
        chain = [dept_id]
        current = self.departments.get(dept_id)
        while current is not None and current.parent_id in self.departments:
            if current.parent_id in chain:
                break
            chain.append(current.parent_id)
            current = self.departments[current.parent_id]
        return chain

    def rule_id_for(self, userid: str) -> int | None:
        """The id of the rule that applies to ``userid``, or ``None``."""
        user = self.users.get(userid)
        if user is None:
            return None
        user_depts: dict[int, int] = {}
        for dept_id in user.department_ids:
            for ancestor in self.ancestors_and_self(dept_id):
                user_depts.setdefault(ancestor, self.department_depth(ancestor))
        best: tuple[int, int, int, int] | None = None
        best_id: int | None = None
        for scope in self.scopes:
            if userid in scope.exempt_userids:
                continue
            if userid in scope.userids:
                rank = 2
                depth = 0
            else:
                depths = [user_depts[d] for d in scope.department_ids if d in user_depts]
                if depths:
                    rank, depth = 1, max(depths)
                elif any(userid in self.tag_members.get(t, ()) for t in scope.tag_ids):
                    rank, depth = 0, 0
                else:
                    continue
            key = (rank, depth, scope.created_at, scope.rule_id)
            if best is None or key > best:
                best, best_id = key, scope.rule_id
        return best_id

    def department_path(self, dept_id: int) -> str:
        """A department's name path from the root, joined with ``/`` (as WeCom reports do)."""
        return department_path(self.departments, dept_id)


def department_path(departments: Mapping[int, Department], dept_id: int) -> str:
    """A department's name path from the root, joined with ``/``: ``有家企业/部门A4``."""
    names: list[str] = []
    current = departments.get(dept_id)
    seen: set[int] = set()
    while current is not None and current.id not in seen:
        seen.add(current.id)
        names.append(current.name)
        current = departments.get(current.parent_id)
    return "/".join(reversed(names))


def departs_name(departments: Mapping[int, Department], user: User) -> str:
    """Every department of ``user`` as a path, ``;``-separated (the reports' ``departs_name``)."""
    return ";".join(department_path(departments, d) for d in user.department_ids)


def build_directory(
    users: Iterable[User],
    departments: Iterable[Department],
    tag_members: Mapping[int, Iterable[str]],
    scopes: Iterable[RuleScope],
) -> Directory:
    """Assemble a :class:`Directory` from plain values."""
    return Directory(
        users={u.userid: u for u in users},
        departments={d.id: d for d in departments},
        tag_members={t: frozenset(m) for t, m in tag_members.items()},
        scopes=tuple(scopes),
    )
