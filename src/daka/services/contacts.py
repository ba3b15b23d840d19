"""Contact reads: the directory as WeCom's 通讯录 API shows it to an app.

daka answers ``department/list``, ``user/simplelist``, ``user/list``, ``tag/list`` and
``tag/get`` from the directory it keeps, so another daka (``daka sync``) or any WeCom client can
learn who belongs where. Reads only: the directory itself comes from the org file.
"""

from __future__ import annotations

from typing import Any

from daka.domain.errors import DepartmentNotFound, TagNotFound
from daka.services.corpview import CorpView
from daka.wire.requests import (
    DepartmentListRequest,
    TagGetRequest,
    TagListRequest,
    UserListRequest,
    UserSimpleListRequest,
)


def _subtree(view: CorpView, root: int) -> list[int]:
    """``root`` and every department below it, parents before children."""
    children: dict[int, list[int]] = {}
    for dept in view.departments.values():
        children.setdefault(dept.parent_id, []).append(dept.id)
    out, stack, seen = [], [root], set()
    while stack:
        dept_id = stack.pop()
        if dept_id in seen:  # a cycle in a hand-written org file
            continue
        seen.add(dept_id)
        out.append(dept_id)
        stack.extend(sorted(children.get(dept_id, ()), reverse=True))
    return out


def _root_ids(view: CorpView) -> list[int]:
    return sorted(
        d.id
        for d in view.departments.values()
        if d.parent_id not in view.departments or d.parent_id == d.id
    )


def department_list(view: CorpView, request: DepartmentListRequest) -> dict[str, Any]:
    """department/list: ``id`` and its sub-departments, or every department without ``id``."""
    dept_id = request.id
    if dept_id is None:
        ids = [d for root in _root_ids(view) for d in _subtree(view, root)]
    elif dept_id not in view.departments:
        raise DepartmentNotFound(f"department not found: {dept_id}")
    else:
        ids = _subtree(view, dept_id)
    return {
        "department": [
            {
                "id": d,
                "name": view.departments[d].name,
                "parentid": view.departments[d].parent_id,
                "order": 0,
                "department_leader": [],
            }
            for d in ids
        ]
    }


def _members(view: CorpView, request: UserSimpleListRequest) -> list[str]:
    dept_id = request.department_id
    if dept_id not in view.departments:
        raise DepartmentNotFound(f"department not found: {dept_id}")
    wanted = set(_subtree(view, dept_id)) if request.fetch_child else {dept_id}
    return [
        u.userid
        for u in sorted(view.users.values(), key=lambda u: u.userid)
        if wanted.intersection(u.department_ids)
    ]


def user_simplelist(view: CorpView, request: UserSimpleListRequest) -> dict[str, Any]:
    """user/simplelist: userid, name and departments of a department's members."""
    return {
        "userlist": [
            {
                "userid": u,
                "name": view.users[u].name,
                "department": list(view.users[u].department_ids),
                "open_userid": "",
            }
            for u in _members(view, request)
        ]
    }


def user_list(view: CorpView, request: UserListRequest) -> dict[str, Any]:
    """user/list: as simplelist, with the detail fields daka has (the rest empty)."""
    return {
        "userlist": [
            {
                "userid": u,
                "name": view.users[u].name,
                "department": list(view.users[u].department_ids),
                "order": [0] * len(view.users[u].department_ids),
                "position": "",
                "status": 1,
                "main_department": (view.users[u].department_ids or (0,))[0],
                "open_userid": "",
            }
            for u in _members(view, request)
        ]
    }


def tag_list(view: CorpView, request: TagListRequest) -> dict[str, Any]:
    """tag/list: every tag of the corp."""
    return {
        "taglist": [
            {"tagid": t, "tagname": view.tag_names.get(t, "")}
            for t in sorted(set(view.tag_names) | set(view.tag_members))
        ]
    }


def tag_get(view: CorpView, request: TagGetRequest) -> dict[str, Any]:
    """tag/get: a tag's name and members (daka's tags hold users only)."""
    tagid = request.tagid
    if tagid not in view.tag_names and tagid not in view.tag_members:
        raise TagNotFound(f"invalid tagid: {tagid}")
    # An org file may name users it does not define: they are no members.
    members = sorted(u for u in view.tag_members.get(tagid, ()) if u in view.users)
    return {
        "tagname": view.tag_names.get(tagid, ""),
        "userlist": [{"userid": u, "name": view.users[u].name} for u in members],
        "partylist": [],
    }
