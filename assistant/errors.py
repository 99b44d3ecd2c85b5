"""Errors the user can act on. Every message is Chinese and names the next step.

XxgkError
├── InputError            a file we cannot read as a report (exit 2, the batch goes on)
│   ├── EmptyFileError
│   ├── FileTooLargeError
│   ├── UnsupportedFormatError
│   ├── EncryptedFileError
│   ├── ScannedPdfError
│   ├── CorruptFileError
│   └── NotAReportError
├── UsageError            bad command-line usage (exit 2)
└── LlmError              the chat model failed; ask and draft fall back to 离线模式 where that serves
    ├── LlmAuthError          401/403: the key is wrong or lacks rights (not retried)
    ├── LlmModelError         404/400 naming the model: no such model on that endpoint
    ├── LlmRateLimitError     429 after the retries
    ├── LlmServerError        5xx after the retries
    ├── LlmTimeoutError       no answer within ``llm.timeout``
    ├── LlmConnectionError    nothing listens at ``llm.base_url``
    ├── LlmTruncatedError     the reply was cut by the length limit
    └── LlmStreamError        the stream broke off before its end
"""

from __future__ import annotations


class XxgkError(Exception):
    """Base: ``message`` says what is wrong, ``hint`` what to do next."""

    default_hint = ""

    def __init__(self, message: str, hint: str | None = None, *, path: str | None = None):
        self.message = message
        self.hint = hint if hint is not None else self.default_hint
        self.path = path
        super().__init__(str(self))

    def __reduce__(self):  # noqa: ANN204 - pickle (batch review in worker processes) keeps message, hint and path apart
        return (self.__class__, (self.message, self.hint), {"path": self.path})

    def __str__(self) -> str:
        head = f"{self.path}：" if self.path else ""
        tail = f"（{self.hint}）" if self.hint else ""
        return f"{head}{self.message}{tail}"


class InputError(XxgkError):
    default_hint = "请检查文件后重试"


class EmptyFileError(InputError):
    default_hint = "请确认导出或复制是否完整，再重新保存该文件"


class FileTooLargeError(InputError):
    default_hint = "年度报告通常不超过几 MB，请确认文件是否选错，或只保留报告正文后重试"


class UnsupportedFormatError(InputError):
    default_hint = "支持的格式：网页复制的文本（.txt）、HTML、Word（.docx）、带文字层的 PDF、Markdown；.doc 请在 Word/WPS 中另存为 .docx"


class EncryptedFileError(InputError):
    default_hint = "请另存为未加密的版本后重试"


class ScannedPdfError(InputError):
    default_hint = "暂不支持 OCR；请向报送单位索取 Word 版或可复制文字的 PDF"


class CorruptFileError(InputError):
    default_hint = "文件可能已损坏，请重新下载或从原文档重新导出"


class NotAReportError(InputError):
    default_hint = "请确认这是政府信息公开工作年度报告（应包含“主动公开政府信息情况”等章节和统计表）"


class UsageError(XxgkError):
    default_hint = "运行 xxgk --help 查看用法"


class LlmError(XxgkError):
    partial = ""  # what the model had said before it failed (streams, truncated replies)
    default_hint = "问答和起草已改用离线模式；运行 xxgk doctor 检查大模型设置"


class LlmAuthError(LlmError):
    default_hint = "请检查 XXGK_LLM__API_KEY（或 OPENAI_API_KEY）是否正确、是否有权使用该模型；运行 xxgk doctor 检查"


class LlmModelError(LlmError):
    default_hint = "请用 XXGK_LLM__MODEL 指定该服务上存在的模型名（可运行 xxgk doctor 查看服务提供的模型）"


class LlmRateLimitError(LlmError):
    default_hint = "大模型服务繁忙或超出调用额度，请稍后再试；本次已改用离线模式"


class LlmServerError(LlmError):
    default_hint = "大模型服务出错，请稍后再试或联系服务管理员；本次已改用离线模式"


class LlmTimeoutError(LlmError):
    default_hint = "可调大 XXGK_LLM__TIMEOUT，或检查大模型服务是否过载；本次已改用离线模式"


class LlmConnectionError(LlmError):
    default_hint = "请确认大模型服务已启动、XXGK_LLM__BASE_URL（或 OPENAI_BASE_URL）地址正确；本次已改用离线模式"


class LlmTruncatedError(LlmError):
    default_hint = "回答超出长度上限被截断，可调大 XXGK_LLM__MAX_TOKENS 或把问题拆小"


class LlmStreamError(LlmError):
    default_hint = "与大模型服务的连接中途断开，请重试；本次已改用离线模式"
