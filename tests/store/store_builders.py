"""Documents built by hand for store tests: small, realistic, varied by arguments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from parsers.schema import Amount, Clause, Department, Document, Source

T0 = datetime(2026, 2, 3, 9, 0, tzinfo=UTC)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def dept(name: str) -> Department:
    return Department(name=name, written=name)


def money(raw: str, yuan: str, qualifier: str | None = "max") -> Amount:
    return Amount.model_validate(
        {"raw": raw, "kind": "money", "value": yuan, "unit": "CNY", "qualifier": qualifier, "role": "subsidy"}
    )


def clause(cid: str, label: str, number: int, heading: str, text_: str, *, lead: str | None = None) -> Clause:
    return Clause(
        id=cid,
        label=label,
        number=number,
        level=1,
        parent=None,
        heading=heading,
        text=text_,
        lead=[dept(lead)] if lead else [],
    )


def provincial_doc(
    *,
    subsidy: str = "1000",
    lead: str = "省科技厅",
    extra_clause: bool = False,
    url: str = "https://www.zj.gov.cn/art/2026/2/3/art_1229019364_1.html",
) -> Document:
    """A small but realistic provincial policy, varied by the arguments."""
    clauses = [
        clause(
            "一",
            "一、",
            1,
            "深化教育科技人才一体改革发展",
            f"深化教育科技人才一体改革发展。对新认定的省级重点实验室,最高给予{subsidy}万元补助。",
            lead=lead,
        ),
        clause(
            "二",
            "二、",
            2,
            "扩大有效投资",
            "扩大有效投资。支持省重大建设项目审批能快则快、要素保障应保尽保。",
            lead="省发展改革委",
        ),
    ]
    if extra_clause:
        clauses.append(
            clause(
                "三", "三、", 3, "提振消费", "提振消费。开展以旧换新活动,推动消费扩容提质。", lead="省商务厅"
            )
        )
    return Document(
        doc_number="浙政发〔2026〕6号",
        issuer="浙江省人民政府",
        region="浙江省",
        level="province",
        title="推动经济高质量发展若干政策(2026年版)",
        series="推动经济高质量发展若干政策",
        edition="2026",
        source=Source(url=url, sha256="0" * 64),
        clauses=clauses,
    )
