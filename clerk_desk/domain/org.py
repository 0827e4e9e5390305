"""Organisation facts from the county plan: departments, window kinds, roles."""

from __future__ import annotations

from enum import StrEnum

# The departments the plan names (section 三(一)), in its order; 公安 is served at the police window only.
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("rs", "人社"),
    ("yb", "医保"),
    ("mz", "民政"),
    ("cl", "残联"),
    ("jy", "教育"),
    ("ly", "林业"),
    ("nync", "农业农村"),
    ("scjg", "市场监管"),
    ("sl", "水利"),
    ("tyjr", "退役军人"),
    ("wj", "卫健"),
    ("zj", "住建"),
    ("zrzy", "自然资源"),
    ("yj", "应急"),
    ("ga", "公安"),
)
DEPARTMENT_BY_NAME = {name: code for code, name in DEPARTMENTS}


class WindowKind(StrEnum):
    COMPREHENSIVE = "comprehensive"  # 综合窗口
    POLICE = "police"  # 公安窗口
    CONSULTATION = "consultation"  # 咨询服务窗口
    DEPARTMENT = "department"  # 部门专窗
    TIDAL = "tidal"  # 潮汐窗口


WINDOW_KIND_ZH = {
    WindowKind.COMPREHENSIVE: "综合窗口",
    WindowKind.POLICE: "公安窗口",
    WindowKind.CONSULTATION: "咨询服务窗口",
    WindowKind.DEPARTMENT: "部门专窗",
    WindowKind.TIDAL: "潮汐窗口",
}


class Role(StrEnum):
    CLERK = "clerk"
    APPROVER = "approver"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


ROLE_ZH = {Role.CLERK: "窗口人员", Role.APPROVER: "后台审批", Role.SUPERVISOR: "大厅管理", Role.ADMIN: "系统管理员"}
