"""A Word document in the language being rendered: its language everywhere Word keeps one, and its footer's words.

Word reads a run's language from its style, down to the document's defaults, and spell-checks,
hyphenates and reads aloud by it; LibreOffice passes it on to a PDF. So the language goes on the
defaults and on every style that names one, on the theme's fonts and on the document's properties
(``fr-CA``). The reference document's footer says "Page N of M" in English around its page
fields; those words are put in the document's language, where they are the reference's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml.etree import SubElement

from curriculum_gen import i18n
from curriculum_gen.render.docx_style import W
from curriculum_gen.render.localize import page_number_words

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from lxml.etree import _Element

_AFTER_LANG = (W + "eastAsianLayout", W + "specVanish", W + "oMath")
"""What follows ``w:lang`` in a run's properties (ECMA-376's order)."""


def set_language(document: WordDocument) -> None:
    """Give ``document`` the language being rendered: styles, theme fonts, properties and footer words."""
    tag = i18n.TAGS[i18n.current()]
    styles = document.styles.element
    defaults = _default_run_properties(styles)
    if defaults.find(W + "lang") is None:
        lang = defaults.makeelement(W + "lang", {})
        after = next((child for child in defaults if child.tag in _AFTER_LANG), None)
        if after is None:
            defaults.append(lang)
        else:
            after.addprevious(lang)
    for lang in styles.iter(W + "lang"):
        lang.set(W + "val", tag)
    for theme in document.settings.element.iter(W + "themeFontLang"):
        theme.set(W + "val", tag)
    document.core_properties.language = tag
    _footer_words(document)


def _default_run_properties(styles: _Element) -> _Element:
    """The styles part's ``w:docDefaults/w:rPrDefault/w:rPr``, made where the reference lacks it."""
    defaults = styles.find(W + "docDefaults")
    if defaults is None:
        defaults = styles.makeelement(W + "docDefaults", {})
        styles.insert(0, defaults)
    run = defaults.find(W + "rPrDefault")
    if run is None:
        run = defaults.makeelement(W + "rPrDefault", {})
        defaults.insert(0, run)
    properties = run.find(W + "rPr")
    return properties if properties is not None else SubElement(run, W + "rPr")


def _footer_words(document: WordDocument) -> None:
    """The words around the footer's page fields in the document's language ("Page 2 de 5")."""
    english, words = page_number_words()
    if english == words:
        return
    replace = {source: target for source, target in zip(english, words, strict=True) if source}
    for section in document.sections:
        for text in section.footer.part.element.iter(W + "t"):
            if text.text in replace:
                text.text = replace[text.text]
