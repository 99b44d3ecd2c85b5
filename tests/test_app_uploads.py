"""Uploads: names cannot escape the folder, size/type/count limits and zip archives give Chinese notices."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from assistant.app.uploads import UploadLimits, safe_name, stage

REPORTS = frozenset({".txt", ".html", ".docx", ".pdf", ".md"})


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\win.ini", "win.ini"),
        ("C:\\报告\\2024年报.docx", "2024年报.docx"),
        ("/abs/path/报告.pdf", "报告.pdf"),
        ("..", "未命名文件"),
        ("", "未命名文件"),
        (".hidden.txt", "hidden.txt"),
        ("a\x00b<c>:d|e?.txt", "abcde.txt"),
        ("青禾县人民政府_2024.html", "青禾县人民政府_2024.html"),
    ],
)
def test_safe_name(name, expected):
    assert safe_name(name) == expected


def test_long_names_keep_their_suffix():
    n = safe_name("很" * 300 + ".docx")
    assert n.endswith(".docx") and len(n) <= 120


def _file(p: Path, data: bytes = b"x") -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


def test_stage_copies_into_the_folder_and_refuses_types_and_sizes(tmp_path):
    ok = _file(tmp_path / "in" / "报告.txt", b"abc")
    big = _file(tmp_path / "in" / "大文件.pdf", b"0" * 2048)
    exe = _file(tmp_path / "in" / "病毒.exe")
    st = stage([ok, big, exe], tmp_path / "dest", allowed=REPORTS, limits=UploadLimits(max_file_bytes=1024))
    assert [p.name for p in st.files] == ["报告.txt"]
    assert st.files[0].parent == tmp_path / "dest" and st.files[0].read_bytes() == b"abc"
    assert any("大文件.pdf" in n and "上限" in n for n in st.notices)
    assert any("病毒.exe" in n and "不是可以上传的报告文件类型" in n for n in st.notices)
    assert ok.exists()  # the browser's copy is left alone


def test_same_name_twice_does_not_overwrite(tmp_path):
    a = _file(tmp_path / "a" / "报告.txt", b"1")
    b = _file(tmp_path / "b" / "报告.txt", b"2")
    st = stage([a, b], tmp_path / "dest", allowed=REPORTS, limits=UploadLimits())
    assert [p.name for p in st.files] == ["报告.txt", "报告（2）.txt"]
    assert [p.read_bytes() for p in st.files] == [b"1", b"2"]


def test_count_limit(tmp_path):
    files = [_file(tmp_path / "in" / f"{i}.txt") for i in range(5)]
    st = stage(files, tmp_path / "dest", allowed=REPORTS, limits=UploadLimits(max_files=3))
    assert len(st.files) == 3 and any("最多处理 3 个文件" in n for n in st.notices)


class _GbkInfo(zipfile.ZipInfo):
    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's own hook
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def _zip(path: Path, members: dict[str, bytes], *, utf8: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            if utf8:
                z.writestr(name, data)
            else:  # a zip made on Chinese Windows: GBK names, no UTF-8 flag
                z.writestr(_GbkInfo(name), data)
    return path


def test_zip_members_cannot_escape_and_only_reports_are_taken(tmp_path):
    z = _zip(
        tmp_path / "批量.zip",
        {
            "../../evil.txt": b"evil",
            "/etc/cron.d/x.txt": b"abs",
            "部门/青禾县教育局_2024.html": b"<html></html>",
            "__MACOSX/._a.txt": b"junk",
            "说明.xlsx": b"nope",
            "inner.zip": b"PK",
        },
    )
    dest = tmp_path / "dest"
    st = stage([z], dest, allowed=REPORTS, limits=UploadLimits())
    assert sorted(p.name for p in st.files) == ["evil.txt", "x.txt", "青禾县教育局_2024.html"]
    assert all(p.resolve().parent == dest.resolve() for p in st.files)
    assert not (tmp_path / "evil.txt").exists() and not Path("/etc/cron.d/x.txt").exists()
    assert any("说明.xlsx" in n for n in st.notices) and any("多层压缩包" in n for n in st.notices)


def test_gbk_names_in_zip(tmp_path):
    z = _zip(tmp_path / "w.zip", {"青禾县人民政府_2024.txt": b"x"}, utf8=False)
    st = stage([z], tmp_path / "dest", allowed=REPORTS, limits=UploadLimits())
    assert [p.name for p in st.files] == ["青禾县人民政府_2024.txt"]


def test_zip_bomb_is_stopped(tmp_path):
    z = _zip(tmp_path / "bomb.zip", {f"{i}.txt": b"0" * 600_000 for i in range(4)})
    assert z.stat().st_size < 50_000  # compresses well
    st = stage([z], tmp_path / "dest", allowed=REPORTS, limits=UploadLimits(max_file_bytes=1_000_000, max_zip_bytes=1_500_000))
    assert len(st.files) == 2
    assert sum(p.stat().st_size for p in (tmp_path / "dest").iterdir()) <= 1_500_000
    assert any("解压后超过" in n for n in st.notices)


def test_single_member_larger_than_the_file_limit(tmp_path):
    z = _zip(tmp_path / "one.zip", {"big.txt": b"0" * 5000, "small.txt": b"1"})
    st = stage([z], tmp_path / "dest", allowed=REPORTS, limits=UploadLimits(max_file_bytes=1000))
    assert [p.name for p in st.files] == ["small.txt"]
    assert any("big.txt" in n and "上限" in n for n in st.notices)


def test_not_a_zip(tmp_path):
    bad = _file(tmp_path / "坏的.zip", b"not a zip at all")
    st = stage([bad], tmp_path / "dest", allowed=REPORTS, limits=UploadLimits())
    assert st.files == [] and "不是有效的 zip 压缩包" in st.notices[0]
