"""Interrupted, edited and hostile: nothing lost, nothing run, always a clear answer."""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from pathlib import Path

import yaml
from conftest import REPO, make_workspace

EXE = str(Path(sys.executable).with_name("curriculum-gen"))


def test_edited_pack_files_are_not_overwritten_without_force(cli, tmp_path: Path) -> None:
    assert cli("build", "--out", "pack", "--format", "md").code == 0
    guide = tmp_path / "pack" / "facilitator-guide.md"
    guide.write_text(guide.read_text() + "\nMy notes for Tuesday.\n")
    (tmp_path / "pack" / "ground-rules.md").write_text("changed")
    result = cli("build", "--out", "pack", "--format", "md")
    assert result.code == 2
    assert (
        "pack:1:1: files were edited since this pack was built (facilitator-guide.md, ground-rules.md); save your "
        "changes elsewhere, or use --force to replace them"
    ) in result.stderr
    assert guide.read_text().endswith("My notes for Tuesday.\n")
    assert cli("build", "--out", "pack", "--format", "md", "--force").code == 0
    assert "My notes" not in guide.read_text()


def test_workspace_templates_run_in_the_sandbox(cli, tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    (ws / "templates" / "ground-rules.md.j2").write_text(
        "# {{ rules.__class__.__init__.__globals__['os'].system('touch /tmp/pwned') }}\n"
    )
    os.chdir(ws)
    result = cli("build", "--out", "p")
    assert result.code == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("templates/ground-rules.md.j2:1:1: template error:")  # located: file and line
    assert not (ws / "p").exists()


def test_word_field_codes_and_markup_in_yaml_stay_text(cli, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(REPO / "curricula", ws / "curricula")
    (ws / "templates").mkdir()
    rules = ws / "curricula" / "ground-rules.yaml"
    data = yaml.safe_load(rules.read_text())
    tricky = (
        '{ HYPERLINK "http://evil.example" } { DDEAUTO c:\\\\windows\\\\cmd.exe } ![img](http://x/a.png) '
        "<img src=x onerror=alert(1)> [click](javascript:alert(1))"
    )
    data["rules"][1]["at_work"] = tricky
    rules.write_text(yaml.safe_dump(data, sort_keys=False))
    os.chdir(ws)
    assert cli("build", "--out", str(tmp_path / "pack"), "--program", "job-search").code == 0
    with zipfile.ZipFile(tmp_path / "pack" / "ground-rules.docx") as z:
        body = z.read("word/document.xml").decode()
    assert "instrText" not in body and "fldChar" not in body and "fldSimple" not in body and "hyperlink" not in body
    assert "{ DDEAUTO" in body
    html = (tmp_path / "pack" / "ground-rules.html").read_text()
    assert "<img" not in html and "<a " not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "![img](http://x/a.png)" in html and "[click](javascript:alert(1))" in html
