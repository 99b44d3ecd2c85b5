"""Checks on model output without any model: markers, cited articles, numbers."""

from __future__ import annotations

import pytest

from assistant.llm.verify import (
    MarkerFilter,
    allowed_numbers,
    article_name,
    check_articles,
    cited_articles,
    clean_markers,
    int_to_cn,
    untraced_numbers,
)


@pytest.mark.parametrize(("n", "cn"), [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (36, "三十六"), (100, "一百"), (105, "一百零五"), (110, "一百一十"), (119, "一百一十九")])
def test_article_numbers_in_chinese(n, cn):
    assert int_to_cn(n) == cn
    assert article_name(str(n)) == article_name(cn) == f"第{cn}条"


def test_markers_keep_valid_ones_drop_and_flag_the_rest():
    text, used, flags = clean_markers("期限二十个工作日[1]，可延长【2】［9］。另见[3, 1]。", [1, 2, 3])
    assert text == "期限二十个工作日[1]，可延长[2]。另见[3][1]。"
    assert used == [1, 2, 3]
    assert [f["marker"] for f in flags] == ["[9]"] and flags[0]["kind"] == "unknown_marker"


@pytest.mark.parametrize("cut", [1, 2, 3, 5])
def test_marker_filter_gives_the_same_text_however_the_stream_is_cut(cut):
    raw = "答复期限为20个工作日[1]，可以延长[7]。注意［2］与【1、9】及数组[a]。"
    f = MarkerFilter([1, 2])
    out = "".join(f.feed(raw[i : i + cut]) for i in range(0, len(raw), cut)) + f.flush()
    assert out == clean_markers(raw, [1, 2])[0] == "答复期限为20个工作日[1]，可以延长。注意[2]与[1]及数组[a]。"


def test_cited_articles_read_law_names_abbreviations_and_lists():
    got = cited_articles("依据《中华人民共和国政府信息公开条例》第三十三条、第35条和《条例》第三十六条第（七）项，以及《行政复议法》第二十条之一")
    assert [(law, art) for law, art, _ in got] == [
        ("政府信息公开条例", "第三十三条"),
        ("政府信息公开条例", "第三十五条"),
        ("政府信息公开条例", "第三十六条"),
        ("行政复议法", "第二十条之一"),
    ]


def test_a_hallucinated_article_and_an_unchecked_law_are_flagged():
    index = {"政府信息公开条例": {"第三十三条", "第三十六条"}}
    flags = check_articles("见《政府信息公开条例》第三十三条和第九十九条，另见《档案法》第十五条。", index)
    kinds = {(f["kind"], f["citation"]) for f in flags}
    assert ("unknown_article", "《政府信息公开条例》第九十九条") in kinds
    assert any(k == "unchecked_law" and "档案法" in c for k, c in kinds)
    assert len(flags) == 2
    assert check_articles("依据《政府信息公开条例》第三十六条。", index) == []


def test_numbers_trace_to_sources_in_either_script_and_untraced_ones_are_flagged():
    allowed = allowed_numbers("应当自收到申请之日起二十个工作日内予以答复", values=[39, 50.0, 22.2, 2024])
    ok = "2024年新收申请39件，予以公开占50%，无法提供占22%，答复期限为20个工作日，依据第三十三条[1]、国办公开办函〔2021〕30号。一是加强培训。"
    assert untraced_numbers(ok, allowed) == []
    bad = untraced_numbers("延长期限不超过15个工作日。收费标准为每件50元。", allowed)
    assert [f["number"] for f in bad] == ["15"]
    assert bad[0]["sentence"] == "延长期限不超过15个工作日。" and bad[0]["kind"] == "untraceable_number"
