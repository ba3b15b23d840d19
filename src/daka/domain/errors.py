"""The error tree. Every error carries the WeCom errcode it is reported with.

One class per errcode, grouped by family, so a call site raises the class that names what
went wrong and never overrides an errcode::

    DakaError                      -1      system busy (an unexpected failure)
    ├── WriteConflict              -1      a write kept colliding with concurrent ones; retry
    ├── AuthError                          token and credential failures
    │   ├── InvalidCredential      40001   wrong corpsecret
    │   ├── InvalidCorpId          40013
    │   ├── InvalidToken           40014   unknown access_token
    │   ├── TokenMissing           41001
    │   ├── CorpIdMissing          41002
    │   ├── SecretMissing          41004
    │   └── TokenExpired           42001
    ├── ForbiddenError             48002   the app may not call check-in endpoints
    │   └── ApiUnauthorized        48001   no such API (or not for this app)
    ├── InvalidParameter           40058   malformed JSON, wrong type, value out of range
    ├── RateLimited                45009   the per-minute limit of an endpoint was exceeded
    ├── MediaError                 40007   invalid media_id
    │   ├── MediaTypeInvalid       40004   the bytes are not what the type demands
    │   ├── MediaTypeParamInvalid  40005   the ``type`` parameter
    │   ├── MediaSizeInvalid       40006   five bytes or fewer
    │   ├── MediaIdMissing         41006
    │   ├── MediaEmpty             44001
    │   └── MediaTooLarge          45001
    ├── Directory
    │   ├── DepartmentNotFound     60003
    │   ├── TagNotFound            40068
    │   ├── UnknownUser            60111   userid not found (add_checkin_record)
    │   └── UserNotFoundInCorp     301021  a userid not in the corp (the check-in reads, 补卡…)
    ├── UserListInvalid            301023  useridlist empty or over 100
    ├── TimeRangeInvalid           301024  starttime/endtime missing, reversed or too wide
    ├── FaceError
    │   ├── FaceUserUnknown        301069
    │   └── FaceImageInvalid       301072
    ├── ScheduleError
    │   ├── ScheduleNotInFuture    301073  only future days can be scheduled
    │   └── ScheduleParamError     301075
    ├── CorrectionError                    补卡 (punch_correction)
    │   ├── CorrectionPointInvalid         301080  no such punch point
    │   ├── CorrectionTimeInvalid          301081  outside the point's window
    │   ├── CorrectionDateInvalid          301082  not a day's 0:00, or no workday
    │   ├── CheckinParamInvalid            301083  e.g. a check-in time in the future
    │   ├── CorrectionNotAllowed           301099  the rule allows no 补卡
    │   ├── MissingCorrectionForbidden     301101  buka_restriction: 缺卡
    │   ├── LateCorrectionForbidden        301102  buka_restriction: 迟到
    │   ├── EarlyCorrectionForbidden       301103  buka_restriction: 早退
    │   ├── OtherCorrectionForbidden       301104  buka_restriction: 其他异常
    │   └── CorrectionLimitReached         301105  count, day or next-month limit
    └── RuleError                          rule management (add/update/clear/del_checkin_option)
        ├── RuleParamError         301086  unreadable: wrong JSON type, missing group
        ├── NoRulePermission       301088
        ├── InvalidGroupId         301089
        ├── RangeOutOfScope        301090
        ├── RangeConflict          301091
        ├── NotRuleCreator         301092
        ├── RuleFieldInvalid       301094  a value breaks a constraint
        ├── TooManyRules           301095
        └── LocationAndWifiEmpty   301097
    ApprovalError                          审批 (oa/*) and 假期 (oa/vacation/*)
    ├── ApprovalParamError         301025  a request or control value that does not fit
    ├── ApprovalNotFound           301026  no such template or sp_no in the corp
    ├── ApproverNotAllowed         301055  not the approver (or applicant) who may act
    ├── ApprovalStateInvalid       301057  the approval's state does not allow the action
    ├── ApprovalTimeConflict       301079  overlaps another live 假勤 approval
    ├── VacationError
    │   ├── VacationParamError     301063  bad vacation id or value, 不限额, short balance
    │   └── VacationNotApplicable  301098  the person is not in the vacation's scope

``CheckinParamInvalid`` (301083) is also add_checkin_record's "in the future". Raise the class
with a message naming the offending field; the HTTP adapter renders ``{"errcode", "errmsg"}``
from it and nothing else builds error bodies.
"""

from __future__ import annotations


class DakaError(Exception):
    """Root of every error daka reports on the wire; bare, it is WeCom's "system busy"."""

    errcode: int = -1
    default_message: str = "system busy"

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


# -- tokens and access --------------------------------------------------------------------


class WriteConflict(DakaError):
    """The write kept colliding with concurrent writes; nothing of it was stored.

    Answered as WeCom's -1 ("system busy"), which clients retry.
    """

    errcode = -1
    default_message = "system busy: concurrent writes, please retry"


class AuthError(DakaError):
    errcode = 40014
    default_message = "invalid access_token"


class InvalidCredential(AuthError):
    errcode = 40001
    default_message = "invalid credential"


class InvalidCorpId(AuthError):
    errcode = 40013
    default_message = "invalid corpid"


class InvalidToken(AuthError):
    errcode = 40014
    default_message = "invalid access_token"


class TokenMissing(AuthError):
    errcode = 41001
    default_message = "access_token missing"


class CorpIdMissing(AuthError):
    errcode = 41002
    default_message = "corpid missing"


class SecretMissing(AuthError):
    errcode = 41004
    default_message = "corpsecret missing"


class TokenExpired(AuthError):
    errcode = 42001
    default_message = "access_token expired"


class ForbiddenError(DakaError):
    errcode = 48002
    default_message = "api forbidden"


class ApiUnauthorized(ForbiddenError):
    errcode = 48001
    default_message = "api unauthorized"


class InvalidParameter(DakaError):
    errcode = 40058
    default_message = "invalid parameter"


class RateLimited(DakaError):
    errcode = 45009
    default_message = "api freq out of limit"


# -- media --------------------------------------------------------------------------------


class MediaError(DakaError):
    errcode = 40007
    default_message = "invalid media_id"


class MediaTypeInvalid(MediaError):
    errcode = 40004
    default_message = "invalid media type"


class MediaTypeParamInvalid(MediaError):
    errcode = 40005
    default_message = "invalid type param"


class MediaSizeInvalid(MediaError):
    errcode = 40006
    default_message = "invalid media size"


class MediaIdMissing(MediaError):
    errcode = 41006
    default_message = "media_id missing"


class MediaEmpty(MediaError):
    errcode = 44001
    default_message = "empty media data"


class MediaTooLarge(MediaError):
    errcode = 45001
    default_message = "media size out of limit"


# -- the directory ------------------------------------------------------------------------


class Directory(DakaError):
    """A department, tag or user that the corp does not have."""


class DepartmentNotFound(Directory):
    errcode = 60003
    default_message = "department not found"


class TagNotFound(Directory):
    errcode = 40068
    default_message = "invalid tagid"


class UnknownUser(Directory):
    errcode = 60111
    default_message = "userid not found"


class UserNotFoundInCorp(Directory):
    """301021 参数 userid 无效: the check-in reads, 排班, 补卡 and explain say this, not 60111."""

    errcode = 301021
    default_message = "invalid userid"


class UserListInvalid(DakaError):
    errcode = 301023
    default_message = "userlist is over threshold"


class TimeRangeInvalid(DakaError):
    errcode = 301024
    default_message = "invalid time range"


# -- faces --------------------------------------------------------------------------------


class FaceError(DakaError):
    """addcheckinuserface failures."""


class FaceUserUnknown(FaceError):
    errcode = 301069
    default_message = "userid has no matching member"


class FaceImageInvalid(FaceError):
    errcode = 301072
    default_message = "invalid userface"


# -- schedules (排班) ----------------------------------------------------------------------


class ScheduleError(DakaError):
    """getcheckinschedulist / setcheckinschedulist failures."""


class ScheduleNotInFuture(ScheduleError):
    errcode = 301073
    default_message = "schedules can only be set for future dates"


class ScheduleParamError(ScheduleError):
    errcode = 301075
    default_message = "invalid schedule parameter"


# -- 补卡 (punch_correction) ---------------------------------------------------------------


class CorrectionError(DakaError):
    """punch_correction failures."""


class CorrectionPointInvalid(CorrectionError):
    errcode = 301080
    default_message = "invalid schedule checkin time"


class CorrectionTimeInvalid(CorrectionError):
    errcode = 301081
    default_message = "invalid checkin time"


class CorrectionDateInvalid(CorrectionError):
    errcode = 301082
    default_message = "invalid schedule date"


class CheckinParamInvalid(CorrectionError):
    errcode = 301083
    default_message = "invalid checkin param"


class CorrectionNotAllowed(CorrectionError):
    errcode = 301099
    default_message = "the checkin option does not allow punch corrections"


class CorrectionTypeForbidden(CorrectionError):
    """buka_restriction closes correcting this kind of exception (one subclass per bit)."""

    default_message = "the checkin option forbids correcting this exception"


class MissingCorrectionForbidden(CorrectionTypeForbidden):
    errcode = 301101


class LateCorrectionForbidden(CorrectionTypeForbidden):
    errcode = 301102


class EarlyCorrectionForbidden(CorrectionTypeForbidden):
    errcode = 301103


class OtherCorrectionForbidden(CorrectionTypeForbidden):
    errcode = 301104


class CorrectionLimitReached(CorrectionError):
    errcode = 301105
    default_message = "punch correction limit of the checkin option reached"


# -- rule management ----------------------------------------------------------------------


class RuleError(DakaError):
    """add/update/clear/del_checkin_option failures."""


class RuleParamError(RuleError):
    errcode = 301086
    default_message = "param error"


class NoRulePermission(RuleError):
    errcode = 301088
    default_message = "no permission to manage checkin options"


class InvalidGroupId(RuleError):
    errcode = 301089
    default_message = "invalid groupid"


class RangeOutOfScope(RuleError):
    errcode = 301090
    default_message = "checkin option range contains ids without privilege"


class RangeConflict(RuleError):
    errcode = 301091
    default_message = "checkin option range conflict"


class NotRuleCreator(RuleError):
    errcode = 301092
    default_message = "app can not modify this checkin option"


class RuleFieldInvalid(RuleError):
    errcode = 301094
    default_message = "checkin option field invalid"


class TooManyRules(RuleError):
    errcode = 301095
    default_message = "checkin option count over limit"


class LocationAndWifiEmpty(RuleError):
    errcode = 301097
    default_message = "loc_infos and wifimac_infos cannot both be empty"


class ApprovalError(DakaError):
    """审批 (oa/*) and 假期 (oa/vacation/*) failures."""


class ApprovalParamError(ApprovalError):
    errcode = 301025
    default_message = "get approval param error"


class ApprovalNotFound(ApprovalError):
    errcode = 301026
    default_message = "approval data not found"


class ApproverNotAllowed(ApprovalError):
    errcode = 301055
    default_message = "no approval permission"


class ApprovalStateInvalid(ApprovalError):
    errcode = 301057
    default_message = "approval state does not allow this action"


class ApprovalTimeConflict(ApprovalError):
    errcode = 301079
    default_message = "approval attendance time conflict"


class VacationError(ApprovalError):
    """Vacation and balance failures (oa/vacation/*, and charging an approved leave)."""


class VacationParamError(VacationError):
    errcode = 301063
    default_message = "vacation param error"


class VacationNotApplicable(VacationError):
    errcode = 301098
    default_message = "user not in the vacation's scope"
