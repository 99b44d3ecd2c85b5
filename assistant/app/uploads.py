"""Uploaded files into a folder of our own: safe names, size/type/count limits, zip archives opened
with care. Every refusal is a Chinese notice; nothing here raises for a bad file.

A name from the browser (or inside a zip) is reduced to a plain file name: folders, ``..``,
drive letters, control characters and characters Windows forbids are dropped, so a file can
only land directly inside the destination folder (checked again on the resolved path).
"""

from __future__ import annotations

import shutil
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..settings import AppSettings

_FORBIDDEN = set('<>:"/\\|?*') | {chr(i) for i in range(32)} | {"\x7f"}
_MB = 1024 * 1024
_CHUNK = 1 << 16


@dataclass(frozen=True)
class UploadLimits:
    max_file_bytes: int = 20 * _MB
    max_files: int = 200
    max_zip_bytes: int = 200 * _MB

    @classmethod
    def from_settings(cls, app: AppSettings) -> UploadLimits:
        return cls(int(app.max_upload_mb * _MB), app.max_batch_files, int(app.max_zip_mb * _MB))


@dataclass
class Staged:
    files: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # Chinese, one per refused file or archive


def safe_name(name: str, fallback: str = "未命名文件") -> str:
    """A plain file name from whatever the browser or a zip says (no folders, no ``..``)."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch not in _FORBIDDEN).strip().strip(".").strip()
    if not name or name in (".", ".."):
        return fallback
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: 110] + dot + suffix[:9]) if dot and len(suffix) < 10 else name[:120]
    return name


def _unique(dest: Path, name: str) -> Path:
    target = dest / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while target.exists():
        target = dest / f"{stem}（{n}）{suffix}"
        n += 1
    if target.resolve().parent != dest.resolve():  # cannot happen after safe_name; checked anyway
        raise ValueError(f"upload name escapes the folder: {name!r}")
    return target


def _size_text(n: float) -> str:
    return f"{n / _MB:.1f} MB" if n >= _MB / 10 else f"{n / 1024:.0f} KB"


def _zip_member_name(info: zipfile.ZipInfo) -> str:
    """Zips made on Chinese Windows store GBK names without the UTF-8 flag; Python reads them as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for enc in ("utf-8", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return info.filename


def _copy_bounded(src, dst: Path, limit: int) -> int | None:  # noqa: ANN001 - binary file object
    """Copy at most ``limit`` bytes; ``None`` (and nothing left behind) when the source is larger."""
    n = 0
    with dst.open("wb") as out:
        while block := src.read(_CHUNK):
            n += len(block)
            if n > limit:
                break
            out.write(block)
    if n > limit:
        dst.unlink(missing_ok=True)
        return None
    return n


def _type_notice(name: str, allowed: frozenset[str], what: str) -> str:
    kinds = "、".join(sorted(s for s in allowed if s != ".zip"))
    return f"「{name}」不是可以上传的{what}文件类型，已忽略。支持：{kinds}，以及包含这些文件的 .zip 压缩包。"


def _too_big(name: str, size: int | None, limits: UploadLimits) -> str:
    has = f"有 {_size_text(size)}，" if size is not None else "解压后"
    return (
        f"「{name}」{has}超过单个文件 {_size_text(limits.max_file_bytes)} 的上限，已忽略。"
        "年度报告通常只有几 MB：请确认是否选错了文件，或只保留报告正文后重试。"
    )


def _too_many(limits: UploadLimits) -> str:
    return f"一次最多处理 {limits.max_files} 个文件，超出的文件已忽略。请分批上传。"


def _extract(zpath: Path, display: str, dest: Path, allowed: frozenset[str], limits: UploadLimits, st: Staged, what: str) -> None:
    try:
        zf = zipfile.ZipFile(zpath)
    except (zipfile.BadZipFile, OSError):
        st.notices.append(f"「{display}」不是有效的 zip 压缩包，已忽略。请重新压缩后上传，或直接上传其中的文件。")
        return
    total = 0
    skipped: list[str] = []
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            inner = _zip_member_name(info)
            name = safe_name(inner)
            parts = inner.replace("\\", "/").split("/")
            if parts[-1].startswith(".") or "__MACOSX" in parts:
                continue  # hidden files, macOS resource forks
            suffix = Path(name).suffix.lower()
            if suffix == ".zip":
                st.notices.append(f"「{display}」中的压缩包「{name}」未解开（不支持多层压缩包），请解压后单独上传。")
                continue
            if suffix not in allowed:
                skipped.append(name)
                continue
            if len(st.files) >= limits.max_files:
                st.notices.append(_too_many(limits))
                return
            if info.file_size > limits.max_file_bytes:
                st.notices.append(_too_big(f"{display}/{name}", info.file_size, limits))
                continue
            target = _unique(dest, name)
            budget = limits.max_zip_bytes - total
            try:
                with zf.open(info) as src:
                    n = _copy_bounded(src, target, min(limits.max_file_bytes, budget))
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as e:
                target.unlink(missing_ok=True)
                reason = "已加密" if isinstance(e, RuntimeError) else "已损坏或压缩方式不受支持"
                st.notices.append(f"「{display}」中的「{name}」{reason}，无法解压，已忽略。")
                continue
            if n is None and budget < limits.max_file_bytes:
                st.notices.append(
                    f"「{display}」解压后超过 {_size_text(limits.max_zip_bytes)} 的上限，从「{name}」起未解压。请分成几个较小的压缩包上传。"
                )
                return
            if n is None:
                st.notices.append(_too_big(f"{display}/{name}", None, limits))
                continue
            total += n
            st.files.append(target)
    if skipped:
        shown = "、".join(skipped[:5]) + (f" 等 {len(skipped)} 个" if len(skipped) > 5 else "")
        st.notices.append(f"「{display}」中的 {shown} 不是{what}文件，已忽略。")


def stage(
    uploads: Iterable[str | Path],
    dest: Path,
    *,
    allowed: frozenset[str],
    limits: UploadLimits,
    what: str = "报告",
) -> Staged:
    """Copy uploads (and the report files inside zip archives) into ``dest`` under safe names.

    ``allowed`` lists the accepted suffixes (``.zip`` is always opened). The browser's temporary
    copies are left alone; ``dest`` is created."""
    dest.mkdir(parents=True, exist_ok=True)
    st = Staged()
    for up in uploads:
        src = Path(up)
        name = safe_name(src.name)
        suffix = Path(name).suffix.lower()
        try:
            size = src.stat().st_size
        except OSError:
            st.notices.append(f"「{name}」上传不完整，已忽略。请重新上传。")
            continue
        if suffix == ".zip":
            if size > limits.max_zip_bytes:
                st.notices.append(_too_big(name, size, UploadLimits(limits.max_zip_bytes, limits.max_files, limits.max_zip_bytes)))
                continue
            _extract(src, name, dest, allowed, limits, st, what)
            continue
        if suffix not in allowed:
            st.notices.append(_type_notice(name, allowed, what))
            continue
        if size > limits.max_file_bytes:
            st.notices.append(_too_big(name, size, limits))
            continue
        if len(st.files) >= limits.max_files:
            st.notices.append(_too_many(limits))
            break
        target = _unique(dest, name)
        shutil.copyfile(src, target)
        st.files.append(target)
    return st


def display_names(paths: Sequence[Path], root: Path) -> dict[str, str]:
    """``str(path)`` → the name a user recognises (relative to the staging folder)."""
    out: dict[str, str] = {}
    for p in paths:
        try:
            out[str(p)] = str(Path(p).relative_to(root))
        except ValueError:
            out[str(p)] = Path(p).name
    return out


__all__ = ["Staged", "UploadLimits", "display_names", "safe_name", "stage"]
