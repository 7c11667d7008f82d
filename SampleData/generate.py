#!/usr/bin/env python3
"""Deterministic sample data for cockpit: Hangzhou's Xiacheng district (下城区).

    python3 SampleData/generate.py [--out DIR] [--cases N] [--seed S] [--start YYYY-MM-DD] [--check]

Writes units.csv, calendar-2025.csv, calendar-2026.csv, cases.csv, bad/cases-bad.csv, and
tickets.csv, directory.csv, calls.csv, quality.csv, ratings.csv, items.csv, series.csv
([--tickets N] [--calls N] [--service-days D] size them; --cases and the seed do not change them
except ratings.csv, which rates the cases).
Standard library only. Everything comes from one random.Random(seed) and the fixed "now"
below, never from the clock, so two runs with the same arguments give byte-identical files.
The unit and calendar files do not depend on --cases or --seed.
"""

import argparse
import bisect
import csv
import datetime as dt
import math
import os
import random
import sys

# The generator's "now": nothing in the data happens after it (local time, UTC+8).
NOW = dt.datetime(2026, 11, 20, 17, 0, 0)
OFFSET = "+08:00"

DEFAULT_SEED = 20261120
DEFAULT_CASES = 25_000     # ~160 bytes a row: 25k rows keep cases.csv at ~4 MB
DEFAULT_START = dt.date(2026, 8, 3)
LONG_START = dt.date(2025, 1, 2)      # used when many cases are asked for (benchmarks)
LONG_THRESHOLD = 100_000

# Internal time axis: day 0 = 2025-01-01; times are seconds since 2025-01-01T00:00 local.
BASE = dt.date(2025, 1, 1)
LAST_DAY = dt.date(2028, 12, 31)      # planning horizon (completions planned after "now")

# --------------------------------------------------------------------------------------------
# Org tree: 1 district, 8 streets, 75 communities, 4 parks.

DISTRICT = ("xiacheng", "下城区", "330103")

# (id, name, code, relative size of its communities, how often its cases get stuck)
STREETS = [
    ("changqing", "长庆街道", "330103001", 0.90, 0.6),
    ("wulin", "武林街道", "330103002", 1.10, 0.4),
    ("tianshui", "天水街道", "330103003", 0.80, 1.0),
    ("chaoming", "潮鸣街道", "330103005", 1.00, 1.5),
    ("zhaohui", "朝晖街道", "330103006", 1.00, 0.8),
    ("wenhui", "文晖街道", "330103007", 1.05, 1.0),
    ("dongxin", "东新街道", "330103008", 1.15, 1.7),
    ("shiqiao", "石桥街道", "330103009", 1.30, 2.2),
]

# Communities per street: (name without 社区, pinyin slug). Real names first, then invented
# ones (made_up=1); the invented ones only fill the street up to a plausible size.
REAL_COMMUNITIES = {
    "changqing": [("王马", "wangma"), ("长寿桥", "changshouqiao"), ("青园", "qingyuan")],
    "wulin": [("竹竿巷", "zhuganxiang")],
    "tianshui": [],
    "chaoming": [("东园", "dongyuan"), ("小天竺", "xiaotianzhu")],
    "zhaohui": [("黎园", "liyuan"), ("玉公桥", "yugongqiao"), ("华联", "hualian"),
                ("老房地", "laofangdi"), ("应家桥", "yingjiaqiao"), ("大木桥", "damuqiao"),
                ("塘南", "tangnan"), ("虹园", "hongyuan"), ("施家花园", "shijiahuayuan"),
                ("大家苑", "dajiayuan"), ("河东", "hedong"), ("稻香园", "daoxiangyuan")],
    "wenhui": [("流水西苑", "liushuixiyuan"), ("流水东苑", "liushuidongyuan"),
               ("京都苑", "jingduyuan"), ("和平苑", "hepingyuan"), ("打铁关", "datieguan"),
               ("胜利", "shengli")],
    "dongxin": [("三塘北苑", "santangbeiyuan"), ("新颜苑", "xinyanyuan"), ("三塘苑", "santangyuan"),
                ("三塘", "santang"), ("灯塔", "dengta"), ("西文", "xiwen"), ("沈家", "shenjia"),
                ("东新园", "dongxinyuan"), ("沁苑", "qinyuan"), ("中舟", "zhongzhou"),
                ("杭氧", "hangyang"), ("德胜东村", "deshengdongcun"), ("富春苑", "fuchunyuan"),
                ("长青苑", "changqingyuan")],
    "shiqiao": [("天堂园", "tiantangyuan"), ("永丰", "yongfeng"), ("石桥", "shiqiao"),
                ("华丰", "huafeng"), ("杨家", "yangjia")],
}
MADE_UP_COMMUNITIES = {
    "changqing": [("百井坊", "baijingfang"), ("仓河", "canghe"), ("青年", "qingnian"),
                  ("梅登", "meideng"), ("长庆坊", "changqingfang")],
    "wulin": [("凤起", "fengqi"), ("环西", "huanxi"), ("岳王", "yuewang"), ("龙游", "longyou"),
              ("青春坊", "qingchunfang"), ("延安", "yanan"), ("武林坊", "wulinfang"),
              ("体育场", "tiyuchang")],
    "tianshui": [("天水桥", "tianshuiqiao"), ("孩儿巷", "haierxiang"), ("仓桥", "cangqiao"),
                 ("贤福", "xianfu"), ("皮市巷", "pishixiang"), ("戒坛", "jietan"),
                 ("凤翔", "fengxiang"), ("中河", "zhonghe")],
    "chaoming": [("潮鸣寺", "chaomingsi"), ("艮山", "genshan"), ("新华坊", "xinhuafang"),
                 ("菜市桥", "caishiqiao"), ("宝善", "baoshan"), ("万安", "wanan"),
                 ("长明", "changming"), ("银河", "yinhe")],
    "zhaohui": [],
    "wenhui": [("文晖坊", "wenhuifang"), ("潮王", "chaowang")],
    "dongxin": [],
    "shiqiao": [("石祥", "shixiang")],
}

# Parks (园区), all invented: (id, name, parent street, relative size). No official code.
PARKS = [
    ("shiqiao-shuzi-park", "石桥数字产业园区", "shiqiao", 2.2),
    ("dongxin-kechuang-park", "东新科创园区", "dongxin", 1.6),
    ("wulin-shangwu-park", "武林商务园区", "wulin", 1.8),
    ("zhaohui-wenchuang-park", "朝晖文创园区", "zhaohui", 0.9),
]

# --------------------------------------------------------------------------------------------
# Working-day calendar (State Council notices for 2025 and 2026).
# (festival, first holiday, last holiday, adjusted working weekends 调休上班)
HOLIDAYS = {
    2025: [
        ("元旦", "2025-01-01", "2025-01-01", []),
        ("春节", "2025-01-28", "2025-02-04", ["2025-01-26", "2025-02-08"]),
        ("清明节", "2025-04-04", "2025-04-06", []),
        ("劳动节", "2025-05-01", "2025-05-05", ["2025-04-27"]),
        ("端午节", "2025-05-31", "2025-06-02", []),
        ("国庆节、中秋节", "2025-10-01", "2025-10-08", ["2025-09-28", "2025-10-11"]),
    ],
    2026: [
        ("元旦", "2026-01-01", "2026-01-03", ["2026-01-04"]),
        ("春节", "2026-02-15", "2026-02-23", ["2026-02-14", "2026-02-28"]),
        ("清明节", "2026-04-04", "2026-04-06", []),
        ("劳动节", "2026-05-01", "2026-05-05", ["2026-05-09"]),
        ("端午节", "2026-06-19", "2026-06-21", []),
        ("中秋节", "2026-09-25", "2026-09-27", []),
        ("国庆节", "2026-10-01", "2026-10-07", ["2026-09-20", "2026-10-10"]),
    ],
}

# --------------------------------------------------------------------------------------------
# Departments and their items.
# Department: (name, code prefix, P(completed late) for a case, how often its cases get stuck).
# Item: (number, name, promised working days, relative volume, channel profile, offered in parks).
# Volumes are tuned so that busy items tend to have short names: cases.csv must stay ~4 MB.
DEPARTMENTS = [
    ("区市场监管局", "SJ", 0.025, 0.8, [
        (1, "个体工商户设立登记", 1, 34, "o", True),
        (2, "个体工商户变更登记", 1, 16, "o", True),
        (3, "个体工商户注销登记", 1, 10, "o", True),
        (12, "食品经营许可证核发", 7, 14, "h", True),
        (13, "食品经营许可变更", 5, 7, "o", True),
        (20, "企业设立登记", 1, 22, "o", True),
        (31, "特种设备使用登记", 5, 4, "h", True),
        (40, "药品零售企业许可", 15, 3, "h", True),
    ]),
    ("区人力社保局", "RS", 0.025, 0.8, [
        (3, "城乡居民基本养老保险参保登记", 0, 10, "m", False),
        (5, "社保卡申领", 3, 34, "m", False),
        (8, "失业保险金申领", 5, 12, "m", True),
        (11, "就业创业证申领", 0, 12, "o", True),
        (15, "职工退休审批", 15, 8, "h", False),
        (21, "人力资源服务许可", 10, 2, "h", True),
    ]),
    ("区民政局", "MZ", 0.050, 1.4, [
        (2, "最低生活保障审核", 20, 7, "h", False),
        (4, "特困人员救助供养审核", 20, 2, "h", False),
        (6, "临时救助审批", 10, 5, "h", False),
        (10, "婚姻登记", 0, 14, "h", False),
        (12, "高龄津贴申领", 10, 11, "m", False),
        (15, "社会团体成立登记", 20, 1, "h", True),
    ]),
    ("区卫生健康局", "WJ", 0.030, 1.0, [
        (1, "医疗机构执业登记", 20, 2, "h", True),
        (4, "公共场所卫生许可", 7, 6, "h", True),
        (7, "出生医学证明补发", 5, 3, "h", False),
        (9, "计生家庭特别扶助", 15, 3, "h", False),
        (11, "生育登记", 0, 17, "m", False),
    ]),
    ("区住房和城乡建设局", "ZJ", 0.080, 1.8, [
        (2, "建筑工程施工许可", 5, 2, "o", True),
        (6, "商品房预售许可", 10, 1, "h", True),
        (8, "公租房资格审核", 20, 5, "h", False),
        (10, "物业服务合同备案", 3, 3, "o", True),
        (14, "房屋租赁登记备案", 1, 8, "m", True),
    ]),
    ("区城市管理局", "CG", 0.050, 1.2, [
        (1, "临时占用道路审批", 5, 5, "o", True),
        (3, "户外广告设置审批", 10, 3, "o", True),
        (5, "建筑垃圾处置核准", 5, 3, "o", True),
        (7, "城市道路挖掘审批", 7, 2, "h", True),
        (9, "店招店牌设置审批", 3, 6, "o", True),
    ]),
    ("公安下城分局", "GA", 0.030, 0.7, [
        (1, "居民身份证申领", 15, 22, "h", False),
        (3, "户口迁移登记", 5, 11, "h", False),
        (5, "居住证申领", 7, 17, "m", True),
        (7, "普通护照签发", 7, 9, "h", False),
        (9, "无犯罪记录证明", 1, 9, "m", True),
        (11, "临时身份证申领", 0, 5, "h", False),
    ]),
    ("区医疗保障局", "YB", 0.045, 1.0, [
        (1, "医保参保登记", 0, 24, "m", True),
        (3, "异地就医备案", 0, 19, "m", False),
        (5, "医疗费用手工报销", 20, 9, "h", False),
        (7, "门诊特殊病种认定", 10, 5, "h", False),
        (9, "生育医疗费用报销", 10, 5, "o", False),
    ]),
    ("区残联", "CL", 0.040, 1.3, [
        (1, "残疾人证核发", 20, 3, "h", False),
        (3, "残疾人两项补贴申领", 15, 3, "h", False),
        (5, "辅助器具适配申请", 10, 2, "h", False),
    ]),
    ("区税务局", "SW", 0.020, 0.5, [
        (1, "发票领用", 0, 24, "o", True),
        (3, "代开增值税发票", 0, 13, "h", True),
        (5, "清税申报", 3, 5, "o", True),
        (7, "退抵税费审批", 10, 3, "o", True),
        (9, "契税申报", 1, 9, "h", False),
    ]),
    ("区文化和旅游局", "WL", 0.030, 1.0, [
        (1, "娱乐场所经营许可", 15, 1, "h", True),
        (3, "营业性演出审批", 5, 2, "o", True),
        (5, "出版物零售许可", 10, 1, "o", True),
    ]),
    ("区教育局", "JY", 0.040, 1.2, [
        (1, "民办学校办学许可", 20, 1, "h", False),
        (3, "教师资格认定", 20, 4, "o", False),
        (5, "义务教育入学登记", 10, 7, "m", False),
        (7, "校外培训机构审批", 20, 1, "h", True),
    ]),
    ("区退役军人事务局", "TY", 0.030, 1.0, [
        (1, "退役士兵安置审核", 20, 1, "h", False),
        (3, "优待证申领", 10, 4, "m", False),
        (5, "抚恤补助申领", 10, 2, "h", False),
    ]),
    ("区司法局", "SF", 0.030, 1.0, [
        (1, "法律援助申请审查", 5, 3, "h", False),
        (3, "人民调解申请", 3, 3, "h", False),
        (5, "法律服务所执业核准", 20, 1, "h", True),
    ]),
    ("区生态环境分局", "ST", 0.060, 1.5, [
        (1, "建设项目环评审批", 15, 2, "o", True),
        (3, "排污许可证核发", 20, 1, "o", True),
        (5, "环评登记表备案", 0, 3, "o", True),
        (7, "夜间施工作业许可", 3, 3, "o", True),
    ]),
]

# Channel mix (hall, online, mobile) by item profile: hall-bound, online-first, phone-first.
CHANNELS = ("hall", "online", "mobile")
CHANNEL_PROFILES = {"h": (0.65, 0.20, 0.15), "o": (0.30, 0.50, 0.20), "m": (0.25, 0.20, 0.55)}

P_WITHDRAWN = 0.02          # of all cases, before "now" truncates
P_REJECTED = 0.03
P_STUCK = 0.013             # base chance a case stalls for weeks (the overdue tail)
P_OUTSIDE_HOURS = 0.010     # accepted in the evening or on a day off
P_SECOND_SUSPENSION = 0.2

CASE_COLUMNS = ["id", "unit", "department", "item_code", "item_name", "channel", "accepted_at",
                "promised_days", "status", "completed_at", "suspensions"]
# cases.csv also carries the push time; empty = the ingest's fallback (the latest time in the row).
PUSH_COLUMNS = CASE_COLUMNS + ["pushed_at"]

# Repeated pushes and abnormal cases (DESIGN.md §3), drawn from their own random stream so that
# the cases' final states, and so every light and flow figure, are the same as without them.
P_EARLIER_PUSH = 0.04       # an open or finished case also pushed when it was accepted
P_BACKWARDS = 0.05          # of open 'accepted' cases: pushed 'in_review' before (status back)
P_UNIT_FIXED = 0.002        # first pushed with another community of the street, then corrected
P_DEPT_FIXED = 0.002        # first pushed with another department, then corrected
P_BROKEN_CLOSED = 0.01      # of rejected/withdrawn cases: broken times (see add_pushes)
P_SUSPENDED_CLOSED = 0.05   # of suspended cases: the running suspension was given an end


# --------------------------------------------------------------------------------------------
# Calendar

def parse_date(s):
    return dt.date.fromisoformat(s)


def calendar_rows(year):
    """[(date, kind)] for one year, sorted by date; checks that it is self-consistent."""
    rows = []
    for _name, first, last, workdays in HOLIDAYS[year]:
        d, end = parse_date(first), parse_date(last)
        while d <= end:
            rows.append((d, "holiday"))
            d += dt.timedelta(days=1)
        rows.extend((parse_date(w), "workday") for w in workdays)
    rows.sort()
    dates = [d for d, _ in rows]
    assert len(dates) == len(set(dates)), f"{year}: a date is listed twice"
    assert all(d.year == year for d in dates), f"{year}: a date outside the year"
    return rows


def check_calendar():
    """Print and assert that every 调休上班 day is a weekend day, and show the holiday spans."""
    ok = True
    for year in sorted(HOLIDAYS):
        for name, first, last, workdays in HOLIDAYS[year]:
            a, b = parse_date(first), parse_date(last)
            span = f"{a:%m-%d}..{b:%m-%d} ({(b - a).days + 1} days)"
            checks = []
            for w in workdays:
                d = parse_date(w)
                weekend = d.weekday() >= 5
                ok &= weekend
                checks.append(f"{w} {d:%a} {'ok' if weekend else 'NOT A WEEKEND DAY'}")
            print(f"  calendar {year} {name}: holiday {span}"
                  + (f"; 调休上班 {', '.join(checks)}" if checks else ""))
    if not ok:
        sys.exit("calendar check failed: an adjusted working day is not a Saturday or Sunday")


class WorkDays:
    """Working days on the internal day axis; the weekday rule beyond the listed years
    (only used for planning completions that fall after "now", never written out)."""

    def __init__(self):
        special = {}
        for year in HOLIDAYS:
            for d, kind in calendar_rows(year):
                special[(d - BASE).days] = kind
        ndays = (LAST_DAY - BASE).days + 1
        self.ndays = ndays
        self.working = []
        self.is_working = [False] * ndays
        for day in range(ndays):
            kind = special.get(day)
            wd = (BASE + dt.timedelta(days=day)).weekday()
            on = kind == "workday" or (kind is None and wd < 5)
            self.is_working[day] = on
            if on:
                self.working.append(day)
        # first_after[day]: index in self.working of the first working day > day.
        # first_ge[day]:    index of the first working day >= day.
        self.first_after = [bisect.bisect_right(self.working, d) for d in range(ndays)]
        self.first_ge = [bisect.bisect_left(self.working, d) for d in range(ndays)]

    def nth_after(self, day, n):
        """The n-th working day after `day` (that day not counted); n = 0 gives `day`."""
        return day if n == 0 else self.working[self.first_after[day] + n - 1]

    def count(self, a, b):
        """Working days in [a, b)."""
        return self.first_ge[b] - self.first_ge[a] if b > a else 0


# --------------------------------------------------------------------------------------------
# Units

def build_units(rng):
    """Rows for units.csv, plus (unit id, street id, weight, is_park) for the case generator."""
    rows = [(DISTRICT[0], DISTRICT[1], "district", "", DISTRICT[2], 0)]
    weights = []
    for sid, sname, scode, size, _stuck in STREETS:
        rows.append((sid, sname, "street", DISTRICT[0], scode, 0))
    for sid, sname, scode, size, _stuck in STREETS:
        members = [(n, s, 0) for n, s in REAL_COMMUNITIES[sid]] + \
                  [(n, s, 1) for n, s in MADE_UP_COMMUNITIES[sid]]
        for i, (name, slug, made_up) in enumerate(members, start=1):
            uid = f"{sid}-{slug}"
            rows.append((uid, name + "社区", "community", sid, f"{scode}{i:03d}", made_up))
            # Community size: log-normal spread around the street's typical size.
            w = min(max(rng.lognormvariate(0.0, 0.45), 0.35), 2.8) * size
            weights.append((uid, sid, w, False))
    for pid, pname, parent, size in PARKS:
        rows.append((pid, pname, "park", parent, "", 1))
        weights.append((pid, parent, size, True))
    return rows, weights


def check_units(rows):
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate unit id"
    comms = [r for r in rows if r[2] == "community"]
    assert len(comms) == 75, len(comms)
    assert sum(1 for r in comms if r[5] == 1) == 32
    for sid, *_ in STREETS:
        n = sum(1 for r in comms if r[3] == sid)
        assert 6 <= n <= 14, (sid, n)
    for r in rows:
        assert r[0].isascii() and r[0] == r[0].lower(), r[0]
        if r[2] == "community":
            assert r[1].endswith("社区") and r[0].startswith(r[3] + "-"), r
        if r[2] == "park":
            assert r[1].endswith("园区"), r


# --------------------------------------------------------------------------------------------
# Cases

class Cumulative:
    """Weighted choice by bisecting a cumulative table (much faster than random.choices per call)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = []
        total = 0.0
        for w in weights:
            total += w
            self.cum.append(total)
        self.total = total

    def pick(self, u):
        """`u` uniform in [0, 1)."""
        return self.items[bisect.bisect_right(self.cum, u * self.total)]


def work_time_of_day(r):
    """Seconds after midnight within office hours 08:30–17:30: busy mornings, a lunch dip."""
    u = r()
    if u < 0.52:
        return 30600 + int(r() * 10800)      # 08:30–11:30
    if u < 0.62:
        return 41400 + int(r() * 7200)       # 11:30–13:30
    return 48600 + int(r() * 14400)          # 13:30–17:30


def generate_cases(rng, n, start, unit_weights, cal):
    """Returns the case rows (lists of strings) in order of acceptance, plus statistics."""
    r = rng.random
    now_s = (NOW.date() - BASE).days * 86400 + NOW.hour * 3600 + NOW.minute * 60 + NOW.second
    now_day = now_s // 86400
    start_day = (start - BASE).days
    assert 0 <= start_day <= now_day, "start must lie between 2025-01-01 and now"

    day_str = [(BASE + dt.timedelta(days=d)).isoformat() for d in range(cal.ndays)]
    day_compact = [s.replace("-", "") for s in day_str]

    def iso(t):
        d, s = divmod(t, 86400)
        return f"{day_str[d]}T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{OFFSET}"

    # Acceptance days: working days weighted by weekday, busier after a long break.
    acc_days, acc_w = [], []
    for d in range(start_day, now_day + 1):
        if not cal.is_working[d]:
            continue
        wd = (BASE + dt.timedelta(days=d)).weekday()
        w = (1.15, 1.05, 1.0, 1.0, 0.92, 0.8, 0.8)[wd]
        if d > 2 and not cal.is_working[d - 1] and not cal.is_working[d - 2] and not cal.is_working[d - 3]:
            w *= 1.35   # first day after a holiday: the backlog
        acc_days.append(d)
        acc_w.append(w)
    day_pick = Cumulative(acc_days, acc_w)
    off_days = [d for d in range(start_day, now_day) if not cal.is_working[d]]
    any_days = list(range(start_day, now_day))

    def accepted_time():
        if r() < P_OUTSIDE_HOURS:
            if off_days and r() < 0.45:
                return off_days[int(r() * len(off_days))] * 86400 + 32400 + int(r() * 32400), True
            return any_days[int(r() * len(any_days))] * 86400 + 63000 + int(r() * 16200), True
        while True:
            t = day_pick.pick(r()) * 86400 + work_time_of_day(r)
            if t <= now_s:
                return t, False

    # 1) acceptance times, sorted, so that ids count up through each day.
    accepted = sorted(accepted_time() for _ in range(n))

    units = Cumulative(unit_weights, [w for _u, _s, w, _p in unit_weights])
    street_stuck = {sid: stuck for sid, _n, _c, _sz, stuck in STREETS}
    all_items, park_items = [], []
    for dname, prefix, p_late, stuck, items in DEPARTMENTS:
        for num, iname, pd, vol, profile, in_park in items:
            it = (dname, f"330103-{prefix}-{num:04d}", iname, pd, p_late, stuck,
                  Cumulative(CHANNELS, CHANNEL_PROFILES[profile]),
                  # P(suspension): rare for 即办件, likelier the longer the item (补正, 特别程序)
                  0.005 if pd == 0 else 0.025 + 0.002 * pd)
            all_items.append((it, vol))
            if in_park:
                park_items.append((it, vol * (2.0 if prefix in ("SJ", "SW") else 1.0)))
    item_pick = Cumulative([i for i, _ in all_items], [v for _, v in all_items])
    park_item_pick = Cumulative([i for i, _ in park_items], [v for _, v in park_items])

    nth_after = cal.nth_after
    is_working = cal.is_working

    def later(after, day, lo, hi):
        """A time on `day` after `after`: office hours if `after` is an earlier day,
        else `after` plus lo..hi seconds, kept on the same day."""
        if day * 86400 > after:
            return day * 86400 + work_time_of_day(r)
        t = min(after + lo + int(r() * (hi - lo)), day * 86400 + 86399)
        return t if t > after else after + 1

    rows = []
    stats = {"status": {}, "late": 0, "finished": 0, "susp": 0, "outside": 0,
             "overdue": 0, "warning": 0, "open_old": 0, "overdue_by_street": {s[0]: 0 for s in STREETS}}
    st = stats["status"]
    seq_day, seq = -1, 0
    next_wd = nth_after(now_day, 1)              # a deadline then is still 'warning'
    for t_acc, outside in accepted:
        d0 = t_acc // 86400
        if d0 != seq_day:
            seq_day, seq = d0, 0
        seq += 1
        if seq > 99_999:
            sys.exit("more than 99,999 cases on one day: lower --cases or widen the span (--start)")
        case_id = f"XC{day_compact[d0]}{seq:05d}"

        uid, sid, _w, is_park = units.pick(r())
        item = (park_item_pick if is_park else item_pick).pick(r())
        dname, icode, iname, pd, p_late, dept_stuck, ch_pick, p_susp = item
        channel = ch_pick.pick(r())
        if outside and channel == "hall":
            channel = "online" if r() < 0.6 else "mobile"   # the hall is closed

        # 2) plan: working days to finish (k); late ones beyond the promise.
        if pd == 0:
            k = (1 + int(r() * 2)) if r() < p_late * 0.6 else 0
        elif r() < p_late:
            k = pd + 1 + min(int(-math.log(1.0 - r()) * 2.5), 11)
        else:
            k = min(int((pd + 1) * r() ** 1.5), pd)   # usually well inside the promise
        # A few cases stall for weeks (lost file, applicant unreachable): the overdue tail.
        # They are finished late in the end, so a long span does not pile up ancient cases.
        stall = 0
        if r() < P_STUCK * street_stuck[sid] * dept_stuck:
            stall = 20 + min(int(-math.log(1.0 - r()) * 60), 160)

        # 3) suspensions (补正 / 特别程序): each pushes the plan by its working days.
        susp = []
        extra = 0
        if r() < p_susp:
            s = int(r() * (k + 1))
            if s == 0 and not is_working[d0]:
                s = 1
            day_s = nth_after(d0, s)
            f1 = later(t_acc, day_s, 600, 7200)
            length = 1 + int(r() * 8)
            t1 = later(f1, nth_after(day_s, length), 0, 0)
            susp.append([f1, t1])
            extra = length
            if r() < P_SECOND_SUSPENSION:
                s2 = int(r() * 3)             # working days between resuming and the next stop
                day_s2 = nth_after(t1 // 86400, s2)
                f2 = later(t1, day_s2, 1800, 14400)
                length2 = 1 + int(r() * 5)
                t2 = later(f2, nth_after(day_s2, length2), 0, 0)
                susp.append([f2, t2])
                extra += length2 + max(0, s + s2 - k)   # finish after the second resumption
        if stall:
            if susp and r() < 0.5:
                # Stalled while suspended: the papers take weeks (clock stopped, grey).
                f, t = susp[-1]
                susp[-1][1] = later(f, nth_after(t // 86400, stall), 0, 0)
                extra += stall
            else:
                k = max(k, pd) + stall        # stalled in review: overdue (red)
        kk = k + extra
        day_c = nth_after(d0, kk)
        t_floor = susp[-1][1] if susp else t_acc
        gap = (180, 3600) if pd == 0 else (1800, 21600)
        end, outcome = later(t_floor, day_c, *gap), "completed"
        if not stall:
            u = r()
            if u < P_WITHDRAWN + P_REJECTED:
                # Withdrawn or rejected somewhere between acceptance and the planned end.
                day_e = nth_after(d0, int(r() * (kk + 1)))
                end = later(t_acc, day_e, 300, 14400)
                outcome = "withdrawn" if u < P_WITHDRAWN else "rejected"

        # 4) what the case looks like at "now".
        completed_at = ""
        if end <= now_s:
            status = outcome
            if outcome != "withdrawn":
                completed_at = iso(end)
            kept = []
            for f, t in susp:
                if f < end:
                    kept.append((f, min(t, end)))
            susp = kept
        else:
            kept = []
            for f, t in susp:
                if f <= now_s:
                    kept.append((f, None if t > now_s else t))   # still suspended
            susp = kept
            if susp and susp[-1][1] is None:
                status = "suspended"
            else:
                age = cal.count(d0 + 1, now_day + 1)          # working days since acceptance
                p_acc = 0.6 if age == 0 else 0.3 if age == 1 else 0.08
                status = "in_review" if susp or r() >= p_acc else "accepted"

        # Deadline as DESIGN.md §3 defines it, for the printed figures only.
        pushed = 0
        for f, t in susp:
            if t is not None:
                pushed += cal.count(f // 86400, t // 86400)
        deadline = nth_after(nth_after(d0, pd), pushed)
        st[status] = st.get(status, 0) + 1
        if status == "completed":
            stats["finished"] += 1
            if end // 86400 > deadline:
                stats["late"] += 1
        elif status in ("accepted", "in_review"):
            if now_day > deadline:
                stats["overdue"] += 1
                stats["overdue_by_street"][sid] += 1
            elif deadline == now_day or deadline == next_wd:
                stats["warning"] += 1
        if status in ("accepted", "in_review", "suspended") and cal.count(d0 + 1, now_day + 1) > 25:
            stats["open_old"] += 1
        if susp:
            stats["susp"] += 1
        if outside:
            stats["outside"] += 1

        rows.append([case_id, uid, dname, icode, iname, channel, iso(t_acc), str(pd), status,
                     completed_at, ";".join(f"{iso(f)}/{'' if t is None else iso(t)}" for f, t in susp)])
    return rows, stats


# --------------------------------------------------------------------------------------------
# Push history and abnormal cases

def add_pushes(rows, seed, unit_weights):
    """Adds the pushed_at column, earlier pushes of some cases and some broken cases.
    Returns (rows in file order, {case id: kinds injected}, counts). Only earlier pushes are
    added and only closed or suspended cases are broken, so the final state's figures stay."""
    arng = random.Random(seed * 7 + 3)
    r = arng.random
    now = NOW.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))

    def parse(s):
        return dt.datetime.fromisoformat(s)

    def fmt(t):
        return f"{t:%Y-%m-%dT%H:%M:%S}{OFFSET}"

    by_street = {}
    street_of = {}
    for uid, sid, _w, _p in unit_weights:
        by_street.setdefault(sid, []).append(uid)
        street_of[uid] = sid
    departments = [d[0] for d in DEPARTMENTS]
    out, injected = [], {}
    counts = {"earlier_push": 0, "backwards": 0, "unit": 0, "department": 0, "broken_closed": 0,
              "suspended_closed": 0, "rows": 0}
    for row in rows:
        cid, unit, dept, _c, _n, _ch, acc, _pd, status, comp, susp = row
        t_acc = parse(acc)
        times = [t_acc] + ([parse(comp)] if comp else []) + \
            [parse(x) for part in susp.split(";") if part for x in part.split("/") if x]
        last = max(times)
        earlier = []            # (status, unit, department, pushed_at)
        u = r()
        if status == "accepted" and u < P_BACKWARDS:
            # In review first, then back to accepted (a clerk's mistake the system let through).
            first = t_acc + dt.timedelta(minutes=5 + int(r() * 120))
            if first < now - dt.timedelta(minutes=30):
                earlier.append(("in_review", unit, dept, first))
                counts["backwards"] += 1
        elif status != "withdrawn" and u < P_UNIT_FIXED:
            others = [x for x in by_street[street_of[unit]] if x != unit]
            if others:
                earlier.append(("accepted", others[int(r() * len(others))], dept, t_acc + dt.timedelta(minutes=1)))
                counts["unit"] += 1
        elif status != "withdrawn" and u < P_UNIT_FIXED + P_DEPT_FIXED:
            others = [d for d in departments if d != dept]
            earlier.append(("accepted", unit, others[int(r() * len(others))], t_acc + dt.timedelta(minutes=1)))
            counts["department"] += 1
        elif status in ("in_review", "suspended", "completed") and u < P_UNIT_FIXED + P_DEPT_FIXED + P_EARLIER_PUSH:
            earlier.append(("accepted", unit, dept, t_acc + dt.timedelta(minutes=1 + int(r() * 10))))
            counts["earlier_push"] += 1

        if status in ("rejected", "withdrawn") and r() < P_BROKEN_CLOSED:
            kind = int(r() * 4)
            if kind == 0 and status == "rejected":
                comp = ""                                              # rejected without a time
            elif kind == 1 and status == "rejected":
                comp = fmt(t_acc - dt.timedelta(days=1 + int(r() * 3)))   # before acceptance
            elif kind == 2 and status == "rejected":
                comp = fmt(parse(comp).replace(year=parse(comp).year + 1))  # a year typo: in the future
            else:
                start = t_acc + dt.timedelta(minutes=30)
                susp = (susp + ";" if susp else "") + f"{fmt(start)}/"       # a suspension never closed
            injected.setdefault(cid, []).append("broken_closed")
            counts["broken_closed"] += 1
        if status == "suspended" and r() < P_SUSPENDED_CLOSED:
            parts = susp.split(";")
            start = parse(parts[-1].split("/")[0])
            end = min(now - dt.timedelta(hours=1), start + dt.timedelta(days=1))
            if end > start:
                parts[-1] = f"{fmt(start)}/{fmt(end)}"                # suspended, nothing open
                susp = ";".join(parts)
                last = max(last, end)
                injected.setdefault(cid, []).append("suspended_closed")
                counts["suspended_closed"] += 1

        pushed = ""
        for st, un, de, at in earlier:
            at = min(at, now - dt.timedelta(minutes=20))
            out.append([cid, un, de, _c, _n, _ch, acc, _pd, st, "", "", fmt(at)])
            injected.setdefault(cid, []).append("earlier_push")
            # The final push comes after every earlier one.
            final = max(last, at) + dt.timedelta(minutes=5 + int(r() * 55))
            pushed = fmt(min(final, now))
        out.append([cid, unit, dept, _c, _n, _ch, acc, _pd, status, comp, susp, pushed])
    counts["rows"] = len(out)
    return out, injected, counts


# --------------------------------------------------------------------------------------------
# Demonstration of rejects

def bad_rows():
    """A dozen rows, some fine and some clearly broken, each for one reason (see README.md).
    Sequence numbers start at 99001 so that the ids never collide with cases.csv."""
    return [CASE_COLUMNS,
        ["XC2026111099001", "wulin-zhuganxiang", "区市场监管局", "330103-SJ-0001", "个体工商户设立登记",
         "hall", "2026-11-10T09:12:44+08:00", "1", "completed", "2026-11-10T15:03:10+08:00", ""],
        # bad: unknown unit
        ["XC2026111199002", "wulin-nowhere", "区市场监管局", "330103-SJ-0002", "个体工商户变更登记",
         "online", "2026-11-11T09:00:00+08:00", "1", "completed", "2026-11-11T10:00:00+08:00", ""],
        # bad: accepted_at cannot be parsed
        ["XC2026111199003", "wenhui-shengli", "区人力社保局", "330103-RS-0005", "社保卡申领",
         "hall", "2026-13-45 25:61", "3", "accepted", "", ""],
        ["XC2026111099004", "dongxin-santangbeiyuan", "区民政局", "330103-MZ-0002", "最低生活保障审核",
         "hall", "2026-11-10T10:05:00+08:00", "20", "suspended", "", "2026-11-12T14:00:00+08:00/"],
        # bad: negative promised_days
        ["XC2026111299005", "tianshui-zhonghe", "区卫生健康局", "330103-WJ-0004", "公共场所卫生许可",
         "hall", "2026-11-12T10:10:10+08:00", "-3", "in_review", "", ""],
        # bad: unknown status
        ["XC2026111299006", "changqing-wangma", "区税务局", "330103-SW-0003", "代开增值税发票",
         "hall", "2026-11-12T14:22:00+08:00", "0", "finished", "2026-11-12T14:40:00+08:00", ""],
        # fine: times without an offset are local time
        ["XC2026111099007", "shiqiao-shuzi-park", "区税务局", "330103-SW-0001", "发票领用",
         "online", "2026-11-10 11:20:00", "0", "completed", "2026-11-10 11:31:00", ""],
        # bad: missing id
        ["", "shiqiao-huafeng", "区城市管理局", "330103-CG-0009", "店招店牌设置审批",
         "online", "2026-11-13T09:40:00+08:00", "3", "accepted", "", ""],
        # bad: too few fields
        ["XC2026111399009", "dongxin-dengta", "区民政局", "330103-MZ-0010", "婚姻登记", "hall"],
        ["XC2026111199010", "zhaohui-hedong", "公安下城分局", "330103-GA-0005", "居住证申领",
         "mobile", "2026-11-11T08:47:13+08:00", "7", "in_review", "", ""],
        # bad: completed_at is not a time
        ["XC2026111399011", "zhaohui-liyuan", "区医疗保障局", "330103-YB-0003", "异地就医备案",
         "mobile", "2026-11-13T11:11:11+08:00", "0", "completed", "yesterday", ""],
        # bad: too many fields
        ["XC2026111699012", "wulin-fengqi", "公安下城分局", "330103-GA-0009", "无犯罪记录证明",
         "mobile", "2026-11-16T09:05:00+08:00", "1", "completed", "2026-11-16T09:50:00+08:00", "",
         "extra"],
        ["XC2026110299013", "chaoming-dongyuan", "区医疗保障局", "330103-YB-0005", "医疗费用手工报销",
         "hall", "2026-11-02T09:30:00+08:00", "20", "completed", "2026-11-13T16:45:00+08:00",
         "2026-11-03T10:00:00+08:00/2026-11-06T09:15:00+08:00"],
    ]


# --------------------------------------------------------------------------------------------
# Output and verification

def write_csv(path, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    size = os.path.getsize(path)
    print(f"{os.path.relpath(path)}: {len(rows) - 1} rows, {size:,} bytes")
    return size


def verify(out, injected):
    """Re-read the written files and assert the promises made in README.md."""
    with open(os.path.join(out, "units.csv"), encoding="utf-8", newline="") as f:
        units = {r["id"]: r for r in csv.DictReader(f)}
    leaf = {u for u, r in units.items() if r["tier"] in ("community", "park")}
    now = NOW.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))

    def t(s):
        v = dt.datetime.fromisoformat(s)
        assert v.utcoffset() == dt.timedelta(hours=8), s
        assert v <= now, f"{s} is after now"
        return v

    ids = set()
    n = 0
    with open(os.path.join(out, "cases.csv"), encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        assert next(reader) == PUSH_COLUMNS
        rows = list(reader)
    final = {}
    for row in rows:
        assert len(row) == len(PUSH_COLUMNS), row
        if row[0] in final:
            # An earlier push is followed by the case's final push, dated later.
            prev = final[row[0]]
            assert prev[11] and row[11] and t(prev[11]) < t(row[11]), (prev, row)
        final[row[0]] = row
    for row in final.values():
        n += 1
        cid, unit, _d, _c, _n, channel, acc, pd, status, comp, susp, _pushed = row
        ids.add(cid)
        assert unit in leaf and channel in CHANNELS, row
        assert int(pd) in (0, 1, 3, 5, 7, 10, 15, 20), row
        broken = {"broken_closed", "suspended_closed"} & set(injected.get(cid, []))
        if broken:
            continue   # broken on purpose (abnormal cases): the rules below do not hold
        if True:
            a = t(acc)
            end = None
            if status in ("completed", "rejected"):
                end = t(comp)
                assert end > a, row
            else:
                assert comp == "", row
                assert status in ("accepted", "in_review", "suspended", "withdrawn"), row
            spans = [p.split("/") for p in susp.split(";")] if susp else []
            prev = a
            for i, (fs, ts) in enumerate(spans):
                fr = t(fs)
                assert fr >= prev, row
                if ts == "":
                    assert status == "suspended" and i == len(spans) - 1, row
                    prev = fr
                else:
                    to = t(ts)
                    assert to > fr and (end is None or to <= end), row
                    prev = to
            if status == "suspended":
                assert spans and spans[-1][1] == "", row
    print(f"verified {n:,} cases ({len(rows):,} pushes): earlier pushes dated before the final one, known units, "
          f"times <= now, completion and suspension rules except in the {sum(1 for v in injected.values() if set(v) - {'earlier_push'}):,} cases broken on purpose")



# --------------------------------------------------------------------------------------------
# Hall tickets, data sharing, evaluations, items and scenario series. Drawn from their own
# random.Random(seed + 1) after the cases, so cases.csv stays byte-identical to earlier versions.

DEFAULT_TICKETS = 20_000
DEFAULT_CALLS = 30_000
SERVICE_DAYS = 30            # default span of tickets, calls and series: the last 30 days to NOW

# Further departments of the 2019 最多跑一次 list (42 in all with DEPARTMENTS; names partly made up).
MORE_DEPARTMENTS = [
    "区发改局", "区经信局", "区科技局", "区财政局", "区商务局", "区审计局", "区统计局", "区应急管理局",
    "区农业农村局", "区档案馆", "区机关事务局", "区信访局", "区国资办", "区投资促进局", "区人防办",
    "区消防救援大队", "区交警大队", "区规划资源分局", "区水利局", "区体育局", "区侨联", "区妇联",
    "区总工会", "区团委", "区科协", "区红十字会", "区气象局",
]
ZONES = (("intake", "A", 0.55), ("approval", "B", 0.25), ("delivery", "C", 0.20))
ZONE_WINDOWS = {"district": (3, 2, 2), "street": (1, 1, 1)}
ITEMS_TOTAL, ITEMS_ONLINE = 358, 342          # 342 / 358 = 95.53 %
QUALITY_KINDS = ("missing", "wrong", "stale", "inconsistent", "format")


def fmt_time(day, secs):
    """Internal day + seconds of day → ISO 8601 with the +08:00 offset."""
    t = dt.datetime.combine(BASE + dt.timedelta(days=day), dt.time()) + dt.timedelta(seconds=int(secs))
    return t.isoformat() + OFFSET


def now_axis():
    return (NOW.date() - BASE).days, NOW.hour * 3600 + NOW.minute * 60 + NOW.second


def service_days(cal, first_day):
    now_day, _ = now_axis()
    return [d for d in range(first_day, now_day + 1) if cal.is_working[d]]


def generate_tickets(rng, n, first_day, cal):
    """Tickets of the district hall and the 8 street halls, simulated as FIFO queues with a fixed
    number of windows per zone; statuses as of NOW (later events are not yet known)."""
    halls = [(DISTRICT[0], "district", 3.0)] + [(sid, "street", size) for sid, _, _, size, _ in STREETS]
    days = service_days(cal, first_day)
    weight = sum(w for _, _, w in halls) * len(days)
    now_day, now_secs = now_axis()
    rows = []
    for day in days:
        for hall, tier, w in halls:
            for (zone, letter, share), windows in zip(ZONES, ZONE_WINDOWS[tier]):
                count = max(1, round(n * w / weight * share * rng.uniform(0.8, 1.2)))
                issued = sorted(rng.uniform(8.5 * 3600, 16.9 * 3600) for _ in range(count))
                free = [8.5 * 3600] * windows
                for seq, t_issue in enumerate(issued, start=1):
                    if day == now_day and t_issue > now_secs:
                        break
                    k = min(range(windows), key=lambda i: free[i])
                    called = max(t_issue, free[k]) + rng.uniform(5, 40)
                    r = rng.random()
                    if r < 0.02 and called - t_issue > 600:       # gave up waiting
                        left = t_issue + rng.uniform(600, called - t_issue)
                        status, c, win, fin = "abandoned", None, "", left
                        if day == now_day and left > now_secs:
                            status, fin = "waiting", None
                    else:
                        handle = 60 if r < 0.05 else min(3600, rng.expovariate(1 / {"intake": 380, "approval": 560, "delivery": 200}[zone]) + 45)
                        free[k] = called + handle
                        win = f"{letter}{k + 1:02d}"
                        status, c, fin = ("no_show" if r < 0.05 else "done"), called, called + handle
                        if day == now_day and called > now_secs:
                            status, c, win, fin = "waiting", None, "", None
                        elif day == now_day and status == "done" and fin > now_secs:
                            status, fin = "serving", None
                        elif status == "no_show":
                            fin = None
                    rows.append((f"{letter}{seq:03d}", hall, zone, "窗口业务", fmt_time(day, t_issue),
                                 fmt_time(day, c) if c is not None else "", win,
                                 fmt_time(day, fin) if fin is not None else "", status))
    return rows


def departments():
    return [d[0] for d in DEPARTMENTS] + MORE_DEPARTMENTS


def generate_directory(rng):
    rows = []
    for dep in departments()[:30]:
        for k in range(rng.randint(2, 5)):
            dataset = f"{dep[1:]}数据集{k + 1:02d}"
            for interface in rng.sample(("query", "verify", "batch"), rng.randint(1, 3)):
                share = rng.choices(("unconditional", "conditional", "not_shared"), (0.6, 0.32, 0.08))[0]
                rows.append((dep, dataset, interface, share, f"{dataset}{interface}接口"))
    return rows


def generate_calls(rng, n, first_day, cal, consumers, directory):
    """Interface calls from communities, parks and streets to the providers of the directory."""
    providers = sorted({(r[0], r[2]) for r in directory if r[3] != "not_shared"})
    days = service_days(cal, first_day)
    now_day, now_secs = now_axis()
    per_day = n / len(days)
    seen = set()
    rows = []
    for day in days:
        end = now_secs if day == now_day else 18 * 3600
        for _ in range(round(per_day * (end - 8 * 3600) / (10 * 3600))):
            provider, interface = providers[int(rng.random() ** 1.6 * len(providers))]
            consumer = consumers[int(rng.random() * len(consumers))]
            secs = int(rng.uniform(8 * 3600, end))
            latency = int(rng.lognormvariate(4.2, 0.8)) + 1
            ok = 0 if rng.random() < 0.03 else 1
            key = (day, secs, consumer, provider, interface, latency, ok)
            if key in seen:
                continue
            seen.add(key)
            rows.append((f"{interface}-{provider}", provider, consumer, fmt_time(day, secs), ok, latency))
    return rows


def generate_quality(rng, cal, directory):
    now_day, now_secs = now_axis()
    rows = []
    for i in range(1, 241):
        dep, dataset = rng.choice([(r[0], r[1]) for r in directory])
        day = now_day - rng.randint(0, 89)
        opened = rng.uniform(9 * 3600, 17 * 3600)
        if day == now_day and opened > now_secs:
            opened = now_secs - 60
        fix_days = rng.choice((0, 1, 2, 3, 4, 6, 9, 14))
        fix_day = cal.nth_after(day, fix_days) if cal.is_working[day] else cal.nth_after(day, fix_days + 1)
        resolved = ""
        if fix_day < now_day or (fix_day == now_day and rng.random() < 0.5):
            resolved = fmt_time(fix_day, rng.uniform(9 * 3600, min(17 * 3600, now_secs if fix_day == now_day else 17 * 3600)))
        if resolved and resolved < fmt_time(day, opened):
            resolved = fmt_time(day, opened + 1800)
        rows.append((f"Q{i:04d}", dataset, dep, rng.choice(QUALITY_KINDS), fmt_time(day, opened), "", resolved))
    return rows


def generate_ratings(rng, cal, case_rows):
    """Evaluations of about a tenth of the completed cases, 0–3 days after completion."""
    now_day, now_secs = now_axis()
    i_id, i_status, i_done = CASE_COLUMNS.index("id"), CASE_COLUMNS.index("status"), CASE_COLUMNS.index("completed_at")
    rows = []
    for row in case_rows:
        if row[i_status] != "completed" or rng.random() >= 0.1:
            continue
        done = dt.datetime.fromisoformat(row[i_done][:19])
        rated = (done + dt.timedelta(hours=rng.uniform(1, 72))).replace(microsecond=0)
        if rated > NOW:
            continue
        level = rng.choices((5, 4, 3, 2, 1), (0.85, 0.08, 0.03, 0.02, 0.02))[0]
        rectified = ""
        if level <= 2:
            fix = rated + dt.timedelta(days=rng.choice((1, 3, 7, 12, 18, 25)))
            if fix <= NOW and rng.random() < 0.85:
                rectified = fix.isoformat() + OFFSET
        rows.append((row[i_id], level, rng.choice(("hall", "online", "mobile")), rated.isoformat() + OFFSET, rectified))
    return rows


def generate_items(rng):
    """358 items over 42 departments, all realised, 342 online (Xiacheng 2019)."""
    deps = departments()
    counts = [1] * len(deps)
    for _ in range(ITEMS_TOTAL - len(deps)):
        counts[int(rng.random() ** 2 * len(deps))] += 1
    rows = []
    for dep, k in zip(deps, counts):
        for j in range(1, k + 1):
            rows.append([dep, f"ZD{deps.index(dep) + 1:02d}{j:03d}", f"{dep[1:]}事项{j:03d}", 1, 1])
    for row in rng.sample(rows, ITEMS_TOTAL - ITEMS_ONLINE):
        row[4] = 0
    return rows


def generate_series(rng, unit_rows, first_day):
    """Daily elevator alarms and kitchen violations per community, free parking spaces per park
    every 2 hours: what community and park cockpits show without new code."""
    now_day, now_secs = now_axis()
    rows = []
    for uid, _, tier, _, _, _ in unit_rows:
        if tier == "community":
            base = rng.uniform(0.5, 4)
            for day in range(first_day, now_day + 1):
                secs = 8 * 3600 if day < now_day else min(now_secs, 8 * 3600)
                rows.append((uid, "elevator_alarms", fmt_time(day, secs), int(rng.expovariate(1 / base))))
                if rng.random() < 0.4:
                    rows.append((uid, "kitchen_violations", fmt_time(day, secs), rng.randint(0, 3)))
        elif tier == "park":
            cap = rng.choice((200, 350, 500))
            for day in range(first_day, now_day + 1):
                for h in range(0, 24, 2):
                    if day == now_day and h * 3600 > now_secs:
                        break
                    busy = 0.85 if 9 <= h <= 18 and (BASE + dt.timedelta(days=day)).weekday() < 5 else 0.25
                    rows.append((uid, "free_parking", fmt_time(day, h * 3600), max(0, int(cap * (1 - busy * rng.uniform(0.8, 1.1))))))
    return rows


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=here, help="output directory (default: this script's directory)")
    ap.add_argument("--cases", type=int, default=DEFAULT_CASES, help=f"number of cases (default {DEFAULT_CASES})")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    ap.add_argument("--start", type=parse_date, default=None,
                    help=f"first acceptance day (default {DEFAULT_START}, or {LONG_START} "
                         f"above {LONG_THRESHOLD:,} cases)")
    ap.add_argument("--check", action="store_true", help="re-read cases.csv and verify it")
    ap.add_argument("--tickets", type=int, default=DEFAULT_TICKETS, help=f"about this many hall tickets (default {DEFAULT_TICKETS})")
    ap.add_argument("--calls", type=int, default=DEFAULT_CALLS, help=f"about this many interface calls (default {DEFAULT_CALLS})")
    ap.add_argument("--service-days", type=int, default=SERVICE_DAYS,
                    help=f"days of tickets, calls and series up to now (default {SERVICE_DAYS})")
    args = ap.parse_args()
    start = args.start or (LONG_START if args.cases > LONG_THRESHOLD else DEFAULT_START)
    if start < BASE:
        ap.error(f"--start must not be before {BASE} (the calendar covers 2025 and 2026)")
    out = args.out

    rng = random.Random(args.seed)
    check_calendar()
    cal = WorkDays()
    unit_rows, unit_weights = build_units(rng)
    check_units(unit_rows)
    write_csv(os.path.join(out, "units.csv"), [("id", "name", "tier", "parent", "code", "made_up")] + unit_rows)
    for year in sorted(HOLIDAYS):
        write_csv(os.path.join(out, f"calendar-{year}.csv"),
                  [("date", "kind")] + [(d.isoformat(), k) for d, k in calendar_rows(year)])

    rows, stats = generate_cases(rng, args.cases, start, unit_weights, cal)
    rows, injected, pcounts = add_pushes(rows, args.seed, unit_weights)
    write_csv(os.path.join(out, "cases.csv"), [PUSH_COLUMNS] + rows)
    write_csv(os.path.join(out, "bad", "cases-bad.csv"), bad_rows())

    srng = random.Random(args.seed + 1)
    first = max(0, now_axis()[0] - args.service_days + 1)
    tickets = generate_tickets(srng, args.tickets, first, cal)
    write_csv(os.path.join(out, "tickets.csv"), [("id", "hall", "zone", "service", "issued_at", "called_at", "window",
                                                  "finished_at", "status")] + tickets)
    directory = generate_directory(srng)
    write_csv(os.path.join(out, "directory.csv"), [("provider", "dataset", "interface", "share_type", "name")] + directory)
    consumers = [r[0] for r in unit_rows if r[2] != "district"]
    calls = generate_calls(srng, args.calls, first, cal, consumers, directory)
    write_csv(os.path.join(out, "calls.csv"), [("interface", "provider", "consumer", "at", "ok", "latency_ms")] + calls)
    quality = generate_quality(srng, cal, directory)
    write_csv(os.path.join(out, "quality.csv"), [("id", "dataset", "provider", "kind", "opened_at", "due_at", "resolved_at")] + quality)
    ratings = generate_ratings(srng, cal, rows)
    write_csv(os.path.join(out, "ratings.csv"), [("case", "level", "channel", "rated_at", "rectified_at")] + ratings)
    items = generate_items(srng)
    write_csv(os.path.join(out, "items.csv"), [("department", "item_code", "item_name", "realised", "online")] + items)
    series = generate_series(srng, unit_rows, max(0, now_axis()[0] - min(args.service_days, 60) + 1))
    write_csv(os.path.join(out, "series.csv"), [("unit", "metric", "at", "value")] + series)
    print(f"tickets {len(tickets):,}, directory {len(directory):,}, calls {len(calls):,}, quality {len(quality):,}, "
          f"ratings {len(ratings):,}, items {len(items):,} ({len({r[0] for r in items})} departments), series {len(series):,}")

    n = len(rows)
    mix = ", ".join(f"{s} {stats['status'].get(s, 0):,} ({100 * stats['status'].get(s, 0) / n:.1f}%)"
                    for s in ("accepted", "in_review", "suspended", "completed", "rejected", "withdrawn"))
    print(f"cases {start}..{NOW.date()} as of {NOW.isoformat()}{OFFSET}, seed {args.seed}: {mix}")
    fin = stats["finished"] or 1
    print(f"  completed late {stats['late']:,} ({100 * stats['late'] / fin:.1f}% of completed); "
          f"open overdue {stats['overdue']:,}, warning {stats['warning']:,}; "
          f"open and accepted > 25 working days ago {stats['open_old']:,}; "
          f"with suspensions {stats['susp']:,} ({100 * stats['susp'] / n:.1f}%); "
          f"accepted outside office hours {stats['outside']:,} ({100 * stats['outside'] / n:.1f}%)")
    print("  overdue by street: " + ", ".join(f"{s} {c}" for s, c in stats["overdue_by_street"].items()))
    print("  pushes: " + ", ".join(f"{k} {v:,}" for k, v in pcounts.items()))
    if args.check:
        verify(out, injected)


if __name__ == "__main__":
    main()
