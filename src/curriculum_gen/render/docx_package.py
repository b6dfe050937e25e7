"""Word packages in and out: a reference document opened safely, a document saved byte for byte the same.

python-docx reads and writes the parts; this module only guards what it is given (a
reference document is a user's file) and writes the zip itself, with one fixed time on
every entry, since python-docx stamps each with the time of saving.
"""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from io import BytesIO
from typing import TYPE_CHECKING

from curriculum_gen.errors import InputError, Problem

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

MAX_EXPANDED = 50_000_000
"""Bytes a reference document may unpack to: styles, a header and a footer are a few hundred kilobytes."""


def open_document(data: bytes, name: str) -> WordDocument:
    """A Word document from a file's bytes.

    Raises:
        InputError: not a Word document (``.docx``), located at ``name:1:1``.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    def refuse(why: str) -> InputError:
        return InputError(Problem(name, 1, 1, "", f"not a Word document (.docx) to take styles from: {why}"))

    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            expanded = sum(entry.file_size for entry in package.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise refuse("it is not a zip package") from None
    if expanded > MAX_EXPANDED:
        raise refuse(f"it unpacks to {expanded:,} bytes (expected at most {MAX_EXPANDED:,})")
    try:
        return docx.Document(BytesIO(data))
    except KeyError as exc:  # zipfile: "There is no item named 'word/document.xml' in the archive"
        missing = re.search(r"'([^']+)'", str(exc))
        raise refuse(f"it has no {missing.group(1) if missing else 'main document'} part") from None
    except XMLSyntaxError as exc:
        raise refuse(f"a part is not well-formed XML ({exc})") from None
    except ValueError as exc:  # python-docx: "file '<stream>' is not a Word file, content type is '…'"
        kind = str(exc).rpartition("content type is ")[2].strip("'") or "not a document"
        raise refuse(f"its main part is '{kind}' (a template or macro-enabled file will not do)") from None
    except (PackageNotFoundError, zipfile.BadZipFile, EOFError) as exc:
        raise refuse(f"{type(exc).__name__}: {exc}") from None


def package_bytes(document: WordDocument, when: datetime) -> bytes:
    """The document as a ``.docx`` file's bytes: the same document and ``when`` give the same bytes."""
    from docx.opc.constants import CONTENT_TYPE
    from docx.opc.oxml import CT_Types, serialize_part_xml

    package = document.part.package
    parts = list(package.iter_parts())
    types = CT_Types.new()  # type: ignore[no-untyped-call]  # python-docx leaves this one untyped
    types.add_default("rels", CONTENT_TYPE.OPC_RELATIONSHIPS)
    types.add_default("xml", CONTENT_TYPE.XML)
    for part in parts:
        types.add_override(part.partname, part.content_type)
    stamp = max(when, datetime(1980, 1, 1, tzinfo=UTC)).timetuple()[:6]
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

        def put(name: str, content: bytes | str) -> None:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, content)

        put("[Content_Types].xml", serialize_part_xml(types))
        put("_rels/.rels", package.rels.xml)
        for part in parts:
            put(part.partname.membername, part.blob)
            if len(part.rels):
                put(part.partname.rels_uri.membername, part.rels.xml)
    return out.getvalue()
