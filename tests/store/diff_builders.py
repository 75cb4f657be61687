"""Hand-built documents for the diff tests: a province-style notice with sections and items."""

from __future__ import annotations

from parsers.schema import Amount, Clause, Department, Document, Source

DIGITS = "一二三四五六七八九"


def chinese(n: int) -> str:
    """1..999 as written in labels: 十一, 二十, 一百零五."""
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    out = f"{DIGITS[hundreds - 1]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else DIGITS[tens - 1]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (DIGITS[ones - 1] if ones else "")


CN = [chinese(n) for n in range(1, 1000)]

# Distinct measures, worded like the real notices, so that similarity has something to work on.
ITEMS = [
    ("推动高等教育整体性跃升", "围绕科技创新、产业发展和国家战略需求协同育人,加快推动学科专业设置调整优化。"),
    ("支持原始创新和关键核心技术攻关", "实施省重大科技项目400项以上,单个项目最高可给予1000万元补助。"),
    ("支持高能级科创平台提能造峰", "新认定省级概念验证中心20个,单个中心可给予50万元一次性建设经费补助。"),
    ("促进人工智能场景应用", "深入实施“人工智能+”行动,遴选发布标志性应用场景100个。"),
    ("强化科技金融支持", "扩大省级创投类基金群规模,引导社会资本投早投小投长期投硬科技。"),
    ("优化人才引育和支持政策", "优化海外引才结构,完善青年科技人才全周期支持机制。"),
    ("加快培育发展新质生产力", "支持新质生产力项目建设,对符合条件的项目给予贷款贴息。"),
    ("支持工业领域设备更新和技术改造", "用好国家超长期特别国债资金,推动重点行业设备更新。"),
    ("支持企业加大研发投入", "落实企业研发费用加计扣除政策,引导企业持续加大研发投入。"),
    ("支持企业加快实数融合", "推进人工智能赋能制造业,培育智能工厂和未来工厂。"),
]


def dept(name: str, written: str | None = None) -> Department:
    return Department(name=name, written=written or name)


def money(raw: str, yuan: str, qualifier: str | None = "max") -> Amount:
    return Amount.model_validate(
        {"raw": raw, "kind": "money", "value": yuan, "unit": "CNY", "qualifier": qualifier, "role": "subsidy"}
    )


def quantity(raw: str, value: str, unit: str, qualifier: str | None = None) -> Amount:
    return Amount.model_validate(
        {
            "raw": raw,
            "kind": "quantity",
            "value": value,
            "unit": unit,
            "qualifier": qualifier,
            "role": "target",
        }
    )


def item(n: int, heading: str, text: str, parent: str, amounts: list[Amount] | None = None) -> Clause:
    return Clause(
        id=f"{parent}/{CN[n - 1]}",
        label=f"({CN[n - 1]})",
        number=n,
        level=2,
        parent=parent,
        heading=heading,
        text=f"{heading}。{text}",
        amounts=amounts or [],
    )


def section(n: int, heading: str, lead: str) -> Clause:
    return Clause(
        id=CN[n - 1],
        label=f"{CN[n - 1]}、",
        number=n,
        level=1,
        parent=None,
        heading=heading,
        text=f"{heading}(由{lead}牵头)",
        lead=[dept(lead)],
    )


def amounts_in(text: str) -> list[Amount]:
    found = []
    for raw, yuan in (("最高可给予1000万元", "10000000"), ("可给予50万元", "500000")):
        if raw in text:
            found.append(money(raw, yuan, "max" if raw.startswith("最高") else None))
    return found


def numbered(items: list[tuple[str, str]], sections: list[tuple[str, str, int]]) -> list[Clause]:
    """Sections (heading, lead, how many items) over consecutively numbered items, like seed 000."""
    clauses: list[Clause] = []
    k = 0
    for s, (heading, lead, count) in enumerate(sections, start=1):
        clauses.append(section(s, heading, lead))
        for _ in range(count):
            h, t = items[k]
            k += 1
            clauses.append(item(k, h, t, CN[s - 1], amounts_in(t)))
    return clauses


def document(clauses: list[Clause], **metadata: object) -> Document:
    fields: dict[str, object] = {
        "doc_number": "浙政发〔2026〕6号",
        "issuer": "浙江省人民政府",
        "region": "浙江省",
        "level": "province",
        "title": "推动经济高质量发展若干政策(2026年版)",
        "status": "final",
        "source": Source(path="test.txt", sha256="0" * 64),
        "clauses": clauses,
    }
    fields.update(metadata)
    return Document.model_validate(fields)


SECTIONS = [("深化教育科技人才一体改革发展", "省科技厅", 6), ("加快先进制造业发展", "省经信厅", 4)]


def base() -> Document:
    return document(numbered(ITEMS, SECTIONS))
