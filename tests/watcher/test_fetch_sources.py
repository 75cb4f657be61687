"""Source configuration: the bundled defaults load; bad entries name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.adapters import get_adapter
from watcher.sources import SourcesError, load_sources, parse_sources


def test_bundled_sources_load_with_valid_selectors() -> None:
    sources = load_sources()
    names = [s.name for s in sources.sources]
    assert names[:2] == ["zj-policy", "hz-policy"]
    policy = sources.get("zj-policy")
    assert policy is not None
    assert (
        policy.url == "https://www.zj.gov.cn/col/col1229019364/index.html" and policy.adapter == "jcms-column"
    )
    assert sources.get("hz-policy") is not None and "hangzhou.gov.cn" in sources.sources[1].url
    for source in sources.sources:
        get_adapter(source.adapter).selectors(source.selectors)


BAD = """sources:
  - name: ok
    url: https://www.zj.gov.cn/col/col1/index.html
    adapter: jcms-column
  - name: bad-url
    url: ftp://example
    adapter: jcms-column
  - name: bad-adapter
    url: https://x.gov.cn/
    adapter: jcms-colum
    depth: 0
  - name: bad-selectors
    url: https://x.gov.cn/
    adapter: html-list
    selectors:
      item: 3
      itme: ul li
  - name: ok
    url: https://y.gov.cn/rss.xml
    adapter: feed
"""


def test_each_problem_names_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(SourcesError) as info:
        load_sources(path)
    problems = info.value.problems
    assert [p.split(": ", 2)[:2] for p in problems] == [
        [f"{path}:6", "sources[1].url"],
        [f"{path}:10", "sources[2].adapter"],
        [f"{path}:11", "sources[2].depth"],
        [f"{path}:16", "sources[3].selectors.item"],
        [f"{path}:17", "sources[3].selectors.itme"],
        [f"{path}:18", "sources[4].name"],
    ]
    assert "jcms-colum" in problems[1] and "duplicate" in problems[5]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sources: [", "x.yaml:1: not valid YAML"),
        ("- just a list", "x.yaml:1: expected a mapping with a 'sources' list"),
        ("sources: []\nextras: 1\n", "x.yaml:2: extras: Extra inputs are not permitted"),
    ],
)
def test_malformed_files(text: str, expected: str) -> None:
    with pytest.raises(SourcesError, match=expected):
        parse_sources(text, "x.yaml")


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourcesError, match="cannot read"):
        load_sources(tmp_path / "absent.yaml")


def test_a_source_region_takes_the_stored_canonical_form() -> None:
    text = """sources:
  - name: yuhang
    url: https://www.yuhang.gov.cn/col/col1/index.html
    adapter: jcms-column
    region: 余杭区
  - name: province
    url: https://www.zj.gov.cn/col/col1229019364/index.html
    adapter: jcms-column
    region: 浙江省
"""
    sources = parse_sources(text)
    assert [s.region for s in sources.sources] == ["杭州市余杭区", "浙江省"]
