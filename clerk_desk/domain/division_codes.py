"""The province-level administrative division codes (GB/T 2260 中华人民共和国行政区划代码), as the first
two digits of a resident ID's address code (GB 11643) and of a credit code's registration-authority
division (GB 32100, characters 3-8).

Source: the province-level codes of GB/T 2260 (unchanged since 1997, when 50 重庆市 was added; 46 海南省
since 1988), as the National Bureau of Statistics publishes them, plus the codes the Ministry of Public
Security gives the residence permits of Hong Kong (81), Macao (82) and Taiwan (83) residents (港澳台居民
居住证, 2018). A person keeps the address code of their first registration for life, so the check stops
at the province: prefectures have been merged and renumbered since 1980 (in Hubei, 咸宁地区 became 咸宁市
in 1998 with a new code), and only a list of every 4-digit code ever issued could check that level
without refusing real numbers of older residents. Such a complete list was not available to us.
"""

from __future__ import annotations

PROVINCES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省",
    "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区", "82": "澳门特别行政区", "83": "台湾地区居民（居住证）",
}  # fmt: skip

# A credit code registered by a national authority carries the code of the State, not a province.
NATIONAL = "100000"


def province_of(code: str) -> str | None:
    """The province (or region) a 6-digit division code belongs to, or None for no such province."""
    return PROVINCES.get(code[:2])
