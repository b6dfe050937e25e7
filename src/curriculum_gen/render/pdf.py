"""Word → PDF through LibreOffice, when it is installed.

The PDFs are tagged (PDF/UA): headings, lists and tables reach a screen reader as such, and
each carries its title (the Word file's title) and language. A table of contents gets its page
numbers from LibreOffice's own layout (:func:`curriculum_gen.render.docx_contents.live_page_numbers`).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from curriculum_gen.errors import OutputError, Problem
from curriculum_gen.render.docx_contents import live_page_numbers

EXPORT = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},' + (
    '"PDFUACompliance":{"type":"boolean","value":"true"}}'
)
"""LibreOffice's PDF filter with its options: tagged, PDF/UA (title shown, language set)."""

INSTALL_HINT = (
    "PDF needs LibreOffice, which is not installed here: on Debian or Ubuntu run "
    "'apt-get install libreoffice-writer-nogui' (or install LibreOffice from libreoffice.org), then try again"
)


def libreoffice() -> str:
    """The LibreOffice program to run.

    Raises:
        OutputError: it is not installed, with how to install it.
    """
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise OutputError(Problem("--format", message=INSTALL_HINT))
    return found


def docx_to_pdf(documents: dict[str, bytes]) -> dict[str, bytes]:
    """Convert Word files (name → bytes) to PDF (name → bytes) in one LibreOffice run.

    Raises:
        OutputError: LibreOffice is missing, fails or leaves a file unconverted.
    """
    program = libreoffice()
    with tempfile.TemporaryDirectory(prefix="cg-pdf-") as folder:
        work = Path(folder)
        sources = []
        for index, (name, data) in enumerate(sorted(documents.items())):
            source = work / f"{index:03d}.docx"
            source.write_bytes(live_page_numbers(data))  # LibreOffice lays out the contents' page numbers
            sources.append((name, source))
        command = [
            program,
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--convert-to",
            EXPORT,
            "--outdir",
            str(work / "pdf"),
            *(str(s) for _, s in sources),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise OutputError(Problem("--format", message=f"LibreOffice could not make the PDFs ({exc})")) from None
        result = {}
        for name, source in sources:
            pdf = work / "pdf" / (source.stem + ".pdf")
            if not pdf.is_file():
                raise OutputError(Problem("--format", message=f"LibreOffice did not convert {name}.docx to PDF"))
            result[name] = pdf.read_bytes()
        return result
