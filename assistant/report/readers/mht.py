"""MHT / MHTML ("单个文件网页"): a MIME message wrapping an HTML page.

Government systems often export "Word" files this way (a ``.doc`` that is really MIME HTML, what
Word writes for "Save as Single File Web Page"). The HTML part is decoded with its declared
charset and handed to the HTML reader.
"""

from __future__ import annotations

import email
import re
from email import policy

from ...errors import CorruptFileError
from .encoding import decode_text

_HEAD = re.compile(rb"^\s*(?:MIME-Version\s*:|Content-Type\s*:\s*multipart/related)", re.IGNORECASE)


def is_mht(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    return bool(_HEAD.match(head)) and b"text/html" in data[:65536].lower()


def html_of_mht(data: bytes) -> str:
    """The first text/html part, as text."""
    msg = email.message_from_bytes(data, policy=policy.compat32)
    for part in msg.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        charset = part.get_content_charset()
        if charset:
            try:
                return payload.decode("gb18030" if charset.lower() in ("gb2312", "gbk") else charset)
            except (LookupError, UnicodeDecodeError):
                pass
        return decode_text(payload)[0]
    raise CorruptFileError("文件是 MHT（单个文件网页）格式，但其中没有网页正文")
