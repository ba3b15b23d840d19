"""Which rule applies to whom: person > deepest department > tag > newest."""

from __future__ import annotations

from daka.domain.directory import Department, RuleScope, User, build_directory
from daka.domain.geo import distance_m

DEPARTMENTS = [Department(1, "Co", 0), Department(2, "R&D", 1), Department(3, "Backend", 2)]
USERS = [User("zhangsan", "张三", (3,)), User("lisi", "李四", (1,)), User("wangwu", "王五", (2,))]


def directory(*scopes: RuleScope):
    return build_directory(USERS, DEPARTMENTS, {7: ["lisi"]}, scopes)


def test_a_department_rule_covers_every_sub_department():
    d = directory(RuleScope(rule_id=1, created_at=0, department_ids=frozenset({1})))

    assert [d.rule_id_for(u) for u in ("zhangsan", "lisi", "wangwu")] == [1, 1, 1]


def test_a_rule_naming_the_person_beats_any_department_rule():
    d = directory(
        RuleScope(1, 0, userids=frozenset({"zhangsan"})),
        RuleScope(2, 99, department_ids=frozenset({3})),
    )

    assert d.rule_id_for("zhangsan") == 1


def test_the_deepest_department_wins_over_a_newer_shallower_one():
    d = directory(
        RuleScope(1, 0, department_ids=frozenset({2})),
        RuleScope(2, 99, department_ids=frozenset({1})),
    )

    assert d.rule_id_for("zhangsan") == 1
    assert d.rule_id_for("lisi") == 2


def test_at_equal_depth_the_newest_rule_wins():
    d = directory(
        RuleScope(1, 100, department_ids=frozenset({1})),
        RuleScope(2, 200, department_ids=frozenset({1})),
    )

    assert d.rule_id_for("lisi") == 2


def test_a_tag_rule_applies_but_ranks_below_departments():
    tagged = directory(RuleScope(5, 999, tag_ids=frozenset({7})))
    both = directory(
        RuleScope(5, 999, tag_ids=frozenset({7})), RuleScope(1, 0, department_ids=frozenset({1}))
    )

    assert tagged.rule_id_for("lisi") == 5
    assert tagged.rule_id_for("zhangsan") is None
    assert both.rule_id_for("lisi") == 1


def test_white_users_are_exempt_from_the_rule_that_lists_them():
    d = directory(
        RuleScope(1, 0, department_ids=frozenset({1}), exempt_userids=frozenset({"lisi"})),
        RuleScope(2, 0, userids=frozenset({"zhangsan"})),
    )

    assert d.rule_id_for("lisi") is None
    assert d.rule_id_for("zhangsan") == 2


def test_unknown_users_and_uncovered_users_have_no_rule():
    d = directory(RuleScope(1, 0, department_ids=frozenset({3})))

    assert d.rule_id_for("nobody") is None
    assert d.rule_id_for("lisi") is None


def test_department_paths_join_names_from_the_root():
    assert directory().department_path(3) == "Co/R&D/Backend"


def test_haversine_distance_matches_a_known_value():
    # Tiananmen (39.908722, 116.397499) to People's Square Shanghai: about 1,067 km.
    d = distance_m(39_908_722, 116_397_499, 31_230_416, 121_473_701)

    assert 1_060_000 < d < 1_075_000
    assert distance_m(31_230_416, 121_473_701, 31_230_416, 121_473_701) == 0
