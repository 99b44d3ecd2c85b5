"""What each chunk gives BM25 and the vectors (the index "recipe"), and the citations a guide makes.

The text a hit *shows* is the chunk's ``text``; what the two retrievers *see* can differ:

* **BM25** gets the law name and the chapter/section heading of an article (``lexical_heading``):
  staff questions name the topic of a chapter (依申请公开, 监督和保障) more often than any article
  word, and BM25 rewards the exact term;
* **the vectors** get the article body alone by default (``dense_heading=False``): the heading shared
  by every article of a law pulls all of them together in e5's space;
* the 条例's articles can carry a short hand-written heading (条旨, ``data/tiaozhi.json``) for BM25
  (``tiaozhi_lexical``) and/or the vectors (``tiaozhi_dense``);
* a guide chunk records the articles it cites (``metadata["cites"]``), so that a guide passage found
  in staff language can lend its weight to those articles at search time (:mod:`.lend`).

The recipe's :meth:`Recipe.signature` is stored in the manifest: when it changes, the next ``index``
run derives tokens and vectors again from the stored chunks (files are not read again).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from .chunk import DOC_GUIDE, DOC_REGULATION, Chunk, short_law_name

RECIPE_VERSION = 2  # bump when prepare() changes what the retrievers see
CORE_LAW = "政府信息公开条例"
CITES_SEP = "；"


@dataclass(frozen=True)
class Recipe:
    lexical_heading: bool = True
    dense_heading: bool = False
    tiaozhi_lexical: bool = True
    tiaozhi_dense: bool = False

    @property
    def signature(self) -> str:
        flags = "".join(str(int(x)) for x in (self.lexical_heading, self.dense_heading, self.tiaozhi_lexical, self.tiaozhi_dense))
        return f"v{RECIPE_VERSION}:{flags}"


@dataclass(frozen=True)
class Prepared:
    chunk: Chunk  # with derived metadata (cites)
    lexical: str  # what BM25 tokenises
    dense: str  # what the embedder sees


@lru_cache(maxsize=1)
def tiaozhi() -> dict[str, dict[str, str]]:
    """{law short name: {article: 条旨}} from the package data (our own words)."""
    data = json.loads(resources.files("assistant.kb").joinpath("data/tiaozhi.json").read_text(encoding="utf-8"))
    return {law: arts for law, arts in data.items() if not law.startswith("_")}


_NUM = "零〇一二三四五六七八九十百千"
_ART = rf"第[{_NUM}]+条(?:之[{_NUM}]+)?"
_TOKEN = re.compile(rf"《(?P<law>[^《》\n]{{2,60}})》|(?P<art>{_ART})")
_SAME = ("同规定", "同法", "该法", "本法", "同条例")
_LIST = ("、", "和", "及", "或", "至", "，")


def guide_citations(text: str, default_law: str = CORE_LAW) -> list[str]:
    """Articles a guide passage cites, as ``《law》第X条``, in order of first mention.

    ``《行政复议法》第二十条`` names its law; a bare ``第三十六条`` (or ``条例第五十条``) means the
    政府信息公开条例 — the law our guides are about — unless it continues a list right after another
    law's article (``《保守国家秘密法》第二条、第十三条``) or says ``同规定``/``同法``.
    """
    out: dict[str, None] = {}
    named: str | None = None  # the law of the last 《》 seen
    named_end = -1
    last_law = default_law  # the law of the previous article cited
    last_end = -10
    for m in _TOKEN.finditer(text):
        if m.group("law"):
            named, named_end = short_law_name(m.group("law")), m.end()
            continue
        start = m.start()
        gap = text[last_end:start] if last_end >= 0 else ""
        if named is not None and start == named_end:
            law = named
        elif text[max(0, start - 3) : start].endswith(_SAME) and named is not None:
            law = named
        elif 0 <= start - last_end <= 12 and (gap.strip("第（）()一二三四五六七八九十款项") in _LIST or gap in _LIST):
            law = last_law
        else:
            law = default_law
        out[f"《{law}》{m.group('art')}"] = None
        last_law, last_end = law, m.end()
    return list(out)


def _body(chunk: Chunk) -> str:
    return chunk.text.split("\n", 1)[1] if "\n" in chunk.text else chunk.text


def prepare(chunk: Chunk, recipe: Recipe) -> Prepared:
    """The chunk with derived metadata, and the texts BM25 and the embedder get."""
    meta = chunk.metadata
    doc_type = meta.get("doc_type")
    if doc_type == DOC_REGULATION:
        law, article = str(meta.get("law", "")), str(meta.get("article", ""))
        heading = " ".join(str(x) for x in (f"《{law}》", meta.get("chapter", ""), meta.get("section", "")) if x)
        gist = tiaozhi().get(law, {}).get(article, "")
        body = _body(chunk)
        lexical = [article, heading if recipe.lexical_heading else "", gist if recipe.tiaozhi_lexical else "", body]
        dense = [heading if recipe.dense_heading else "", gist if recipe.tiaozhi_dense else "", body]
        return Prepared(chunk, "\n".join(x for x in lexical if x), "\n".join(x for x in dense if x))
    if doc_type == DOC_GUIDE:
        cites = guide_citations(_body(chunk))
        new_meta = {k: v for k, v in meta.items() if k != "cites"}
        if cites:
            new_meta["cites"] = CITES_SEP.join(cites)
        chunk = replace(chunk, metadata=new_meta)
    return Prepared(chunk, chunk.text, chunk.text)
