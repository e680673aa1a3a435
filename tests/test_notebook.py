"""The exploration notebook runs top to bottom on the sample tables, Chinese labels included."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "01-explore.ipynb"


def _has_cjk_font() -> bool:
    if shutil.which("fc-match") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
    return bool(out.strip())


def test_outputs_are_stripped_in_git() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.skipif(not _has_cjk_font(), reason="no CJK font installed (make test installs fonts-noto-cjk as root)")
def test_notebook_executes_and_renders_chinese(sample_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, proc = sample_run
    assert proc.returncode == 0, proc.stderr
    nb = nbformat.read(NOTEBOOK, as_version=4)
    os.environ["ZHPIPE_PROCESSED"] = str(out)
    try:
        resources = {"metadata": {"path": str(NOTEBOOK.parent)}}
        NotebookClient(nb, timeout=300, kernel_name="python3", resources=resources).execute()
    finally:
        os.environ.pop("ZHPIPE_PROCESSED", None)
    texts = [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not any("Glyph" in t and "missing" in t for t in texts), "tofu: a CJK glyph is missing from the font"
    fonts = [
        o["data"]["text/plain"]
        for c in nb.cells
        if c.cell_type == "code" and "use_cjk_font()" in c.source
        for o in c.outputs
        if "text/plain" in o.get("data", {})
    ]
    assert fonts and fonts[0].strip("'").endswith(" SC"), f"Chinese labels need the SC face, got {fonts}"
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})]
    assert images, "the word chart did not render"
