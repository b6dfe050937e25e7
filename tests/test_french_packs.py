"""Issue 16, the packs in French: ``--lang fr`` (and ``en,fr``) on build, handout, batch and the evaluation
report writes every document in French, with no template string left in English, OQLF typography, fr-CA
in HTML and Word, Babel's figures, the active offer, and the English plan's blocks; the templates' strings
go through gettext, ``templates.pot`` is what Babel extracts today and ``templates.po`` translates all of it."""

from __future__ import annotations

import html
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import jinja2
import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from conftest import DATA, REPO, make_workspace, tree_files
from docx.oxml.ns import qn
from typer.testing import CliRunner

from curriculum_gen.cli.app import app
from curriculum_gen.errors import WorkspaceError
from curriculum_gen.i18n import language
from curriculum_gen.load.workspace import Workspace
from curriculum_gen.render.french import NBSP, typeset_markdown
from curriculum_gen.render.localize import PAGE_NUMBERS, page_number_words
from curriculum_gen.render.markdown import make_env, render_template
from curriculum_gen.render.markup import parse

LOCALE = REPO / "src" / "curriculum_gen" / "locale"
POT = LOCALE / "templates.pot"
FRENCH_PO = LOCALE / "fr" / "LC_MESSAGES" / "templates.po"
MAPPING = REPO / "babel-templates.cfg"
OFFER = {"en": "You can also get this in French.", "fr": "Vous pouvez aussi avoir ce document en anglais."}
BEFORE_AFTER = REPO / "examples" / "clients-exemple.csv"


def _catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def _cli(*args: str | os.PathLike[str]) -> str:
    result = CliRunner().invoke(app, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every kind of pack, in French: build (and its English twin), a handout, a batch of two profiles
    (each in French, with its English twin), and the evaluation report."""
    root = tmp_path_factory.mktemp("french")
    profiles = root / "profiles"
    profiles.mkdir()
    for source in (DATA / "profiles" / "tuesday-job-club.yaml", REPO / "examples" / "profil-exemple.yaml"):
        (profiles / source.name).write_bytes(source.read_bytes())
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("SOURCE_DATE_EPOCH", "1767225600")
        _cli("build", "--lang", "en,fr", "--out", "pack")
        _cli("handout", "job-lead-log", "--lang", "fr", "--out", "handout")
        _cli("batch", "profiles", "--out", "batch", "--lang", "fr,en", "--jobs", "1", "--format", "md,html")
        _cli("profile", "compare", BEFORE_AFTER, BEFORE_AFTER, "--report", "report", "--lang", "fr")
    yield root


FRENCH_FOLDERS = ("pack-fr", "handout", "batch/tuesday-job-club", "batch/profil-exemple", "report")


def _french_markdown(root: Path) -> dict[str, str]:
    return {
        f"{folder}/{name}": (root / folder / name).read_text(encoding="utf-8")
        for folder in FRENCH_FOLDERS
        for name in tree_files(root / folder)
        if name.endswith(".md")
    }


_INLINE = re.compile(r"</?(?:strong|em|code|span|label|a|input)\b[^>]*>")


def _html_text(page: str) -> str:
    """What a reader of an HTML page sees: its text, without the shell's style; inline tags join, blocks part."""
    body = re.sub(r"(?s)<style>.*?</style>", "", page)
    return html.unescape(re.sub(r"<[^>]+>", "\n", _INLINE.sub("", body)))


def _word_text(path: Path) -> str:
    """Every paragraph of a Word file, one a line: body, tables, header and footer."""
    from lxml import etree

    lines = []
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                for paragraph in etree.fromstring(package.read(name)).iter(qn("w:p")):
                    lines.append("".join(t.text or "" for t in paragraph.iter(qn("w:t"))))
    return "\n".join(lines)


def _prose(markdown_text: str) -> str:
    """The Markdown's words: without code spans and table delimiter rows, which typography leaves alone."""
    text = re.sub(r"`[^`]*`", "", markdown_text)
    return re.sub(r"(?m)^\|?[ :|-]*-[ :|-]*$", "", text)


# --------------------------------------------------------------------------- what the packs say


def test_an_en_fr_build_writes_both_packs_side_by_side(made: Path) -> None:
    english, french = tree_files(made / "pack"), tree_files(made / "pack-fr")
    assert english == french and "facilitator-guide.docx" in french
    assert yaml.safe_load((made / "pack" / "manifest.json").read_text())["options"]["language"] == "en"
    assert yaml.safe_load((made / "pack-fr" / "manifest.json").read_text())["options"]["language"] == "fr"
    assert "Guide d'animation" in (made / "pack-fr" / "facilitator-guide.md").read_text(encoding="utf-8")
    assert (made / "pack" / "facilitator-guide.md").read_text().startswith("# Facilitator guide:")
    assert sorted(p.name for p in (made / "batch").iterdir()) == [
        "profil-exemple",
        "profil-exemple-en",
        "tuesday-job-club",
        "tuesday-job-club-en",
    ]


def _english_strings() -> list[str]:
    """Each English message of the templates, cut at its placeholders, in pieces of three words or more."""
    pieces = []
    for message in _catalog(POT):
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            for piece in re.split(r"%\(\w+\)s", text.replace("%%", "%")):
                piece = piece.strip(" .,:;()\"'")
                if len(piece.split()) > 2:
                    pieces.append(piece)
    return pieces


def test_no_template_string_is_left_in_english_in_any_french_document(made: Path) -> None:
    english = _english_strings()
    assert len(english) > 150
    texts = {name: text.replace(NBSP, " ") for name, text in _french_markdown(made).items()}
    for folder in FRENCH_FOLDERS:
        for name in tree_files(made / folder):
            path = made / folder / name
            if name.endswith(".html"):
                texts[f"{folder}/{name}"] = _html_text(path.read_text(encoding="utf-8")).replace(NBSP, " ")
            elif name.endswith(".docx"):
                texts[f"{folder}/{name}"] = _word_text(path).replace(NBSP, " ")
    assert len(texts) > 60
    left = [(name, piece) for name, text in texts.items() for piece in english if piece in text]
    assert left == []


def _french_texts(made: Path) -> dict[str, str]:
    """The words of every French document: each Markdown file's prose, each page's text, each Word file's."""
    texts = {name: _prose(text) for name, text in _french_markdown(made).items()}
    for folder in FRENCH_FOLDERS:
        for name in tree_files(made / folder):
            if name.endswith(".html"):
                texts[f"{folder}/{name}"] = _html_text((made / folder / name).read_text(encoding="utf-8"))
            elif name.endswith(".docx"):
                texts[f"{folder}/{name}"] = _word_text(made / folder / name)
    return texts


def test_french_documents_follow_the_oqlf_typography(made: Path) -> None:
    """No ordinary space before « : », » or %, none after «, none at all before ; ! ?, so no line starts with them."""
    bad = {
        "colon without a no-break space before it": r"(?<![\u00a0\u202f]):(?!//)",
        "ordinary space before » or %": r"[ \t\n][»%]",
        "ordinary space after «": r"«[ \t\n]",
        "space before ; ! or ?": r"[ \t\u00a0\u202f][;!?]",
        "clock time written the English way": r"\b\d{1,2}:\d\d\b",
    }
    found = []
    for name, text in _french_texts(made).items():
        text = re.sub(r"https?://\S+", "", text)
        for what, pattern in bad.items():
            found += [(name, what, text[max(0, m.start() - 30) : m.end() + 5]) for m in re.finditer(pattern, text)]
    assert found == []
    for name, text in _french_markdown(made).items():
        starts = [line for line in text.splitlines() if line.strip()[:1] in tuple(":;!?»%")]
        assert starts == [], name


def test_french_documents_are_tagged_fr_ca_in_html_and_word(made: Path) -> None:
    page = (made / "pack-fr" / "facilitator-guide.html").read_text(encoding="utf-8")
    assert '<html lang="fr-CA">' in page
    assert 'content: "Page " counter(page) " de " counter(pages)' in page  # printed page numbers, in French
    assert '<html lang="en-CA">' in (made / "pack" / "facilitator-guide.html").read_text()
    for folder, tag, of in (("pack-fr", "fr-CA", " de "), ("pack", "en-CA", " of ")):
        for name in ("facilitator-guide.docx", "handouts/our-sessions.docx"):
            document = docx.Document(str(made / folder / name))
            assert document.core_properties.language == tag
            defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
            assert defaults.find(qn("w:rPr")).find(qn("w:lang")).get(qn("w:val")) == tag
            assert document.settings.element.find(qn("w:themeFontLang")).get(qn("w:val")) == tag
            footer = "".join(t.text or "" for t in document.sections[0].footer._element.iter(qn("w:t")))
            assert footer.startswith("Page 1" + of + "1"), footer
    word = docx.Document(str(made / "report" / "evaluation-report.docx"))
    assert word.core_properties.language == "fr-CA"
    assert "1er\u00a0janvier 2026" in "".join(t.text or "" for t in word.sections[0].footer._element.iter(qn("w:t")))


def test_french_figures_come_from_babel(made: Path) -> None:
    guide = (made / "pack-fr" / "facilitator-guide.md").read_text(encoding="utf-8")
    assert f"14,6{NBSP}%" in guide  # a share referred, Table 4
    assert f"| 9{NBSP}h{NBSP}30 |" in guide and f"### 9{NBSP}h{NBSP}30 " in guide  # the agenda's clock times
    assert f"début à 9{NBSP}h" in guide
    assert f"40{NBSP}%" in guide  # the threshold
    english = (made / "pack" / "facilitator-guide.md").read_text()
    assert "| 09:30 |" in english and "14.6%" in english  # English as it always was
    report = (made / "report" / "evaluation-report.md").read_text(encoding="utf-8")
    assert "α = 0,05" in report


def test_every_document_offers_the_other_language_at_its_end(made: Path) -> None:
    for folder, code in (("pack", "en"), *((folder, "fr") for folder in FRENCH_FOLDERS)):
        for name in tree_files(made / folder):
            path = made / folder / name
            if name.endswith(".md"):
                assert path.read_text(encoding="utf-8").rstrip().endswith(OFFER[code]), f"{folder}/{name}"
            elif name.endswith(".html"):
                assert f"<p>{OFFER[code]}</p>" in path.read_text(encoding="utf-8"), f"{folder}/{name}"
            elif name.endswith(".docx"):
                paragraphs = [p.text for p in docx.Document(str(path)).paragraphs if p.text.strip()]
                assert paragraphs[-1] == OFFER[code], f"{folder}/{name}"


def _blocks(plan_file: Path) -> list[tuple[object, ...]]:
    plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    return [
        (session["minutes"], block["kind"], block.get("activity"), block["minutes"], block.get("focus"))
        for session in plan["sessions"]
        for block in session["blocks"]
    ]


def test_a_french_pack_has_the_english_plan_for_the_same_profile(made: Path) -> None:
    pairs = [
        ("pack/plan.yaml", "pack-fr/plan.yaml"),
        ("batch/tuesday-job-club-en/plan.yaml", "batch/tuesday-job-club/plan.yaml"),
        ("batch/profil-exemple-en/plan.yaml", "batch/profil-exemple/plan.yaml"),
    ]
    for english, french in pairs:
        assert _blocks(made / english) == _blocks(made / french)
        reasons = [
            b.get("reason") for s in yaml.safe_load((made / french).read_text())["sessions"] for b in s["blocks"]
        ]
        assert "ouvre la première séance" in reasons  # the planner ran in French: its reasons are French


# --------------------------------------------------------------------------- the catalogue


def test_templates_pot_holds_what_babel_extracts_from_the_templates_today(tmp_path: Path) -> None:
    """Re-extract with the committed mapping: a string added, changed or dropped in a template without
    ``pybabel extract`` (see the README) fails here."""
    fresh = tmp_path / "templates.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(MAPPING),
            "-c",
            "Translators:",
            "-o",
            str(fresh),
            str(REPO / "templates"),
        ]
    )
    ids = {m.id for m in _catalog(fresh) if m.id}
    assert ids == {m.id for m in _catalog(POT) if m.id}
    assert PAGE_NUMBERS in ids  # Word's footer shares the page shell's message


def test_templates_po_translates_every_string_and_nothing_stale() -> None:
    template, french = _catalog(POT), _catalog(FRENCH_PO)
    wanted = {m.id for m in template if m.id}
    assert {m.id for m in french if m.id} == wanted  # every string there, none left from an old template
    for message in french:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(forms) and not message.fuzzy, message.id
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        names = set(re.findall(r"%\((\w+)\)s", " ".join(ids)))
        for form in forms:  # a translation keeps the message's placeholders (ngettext may drop %(num)s)
            assert set(re.findall(r"%\((\w+)\)s", form)) | {"num"} >= names, message.id
            assert re.sub(r"%\(\w+\)s|%%", "", form).count("%") == 0, message.id


def test_validate_names_a_template_string_without_a_french_translation(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws")
    guide = ws / "templates" / "facilitator-guide.md.j2"
    text = guide.read_text(encoding="utf-8")
    guide.write_text(text.replace('{{ _("Objectives") }}', '{{ _("Goals for today") }}', 1), encoding="utf-8")
    line = next(n for n, row in enumerate(guide.read_text().splitlines(), 1) if "Goals for today" in row)
    result = CliRunner().invoke(app, ["validate", str(ws)])
    assert result.exit_code == 2
    assert f"templates/facilitator-guide.md.j2:{line}:1: template string 'Goals for today' has no French" in (
        result.stderr
    )
    (ws / "curricula" / "fr").rename(tmp_path / "away")  # an English-only workspace: nothing to translate to
    assert CliRunner().invoke(app, ["validate", str(ws)]).exit_code == 0


# --------------------------------------------------------------------------- gettext in the sandbox


def _render(tmp_path: Path, source: str, code: str = "en", **context: object) -> str:
    """``source`` rendered as a workspace template, in ``code``; each source its own template file."""
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    name = f"probe-{abs(hash(source))}.md.j2"
    (folder / name).write_text(source, encoding="utf-8")
    with language(code):
        return render_template(make_env(Workspace(tmp_path)), name, context)


def test_a_translation_is_trusted_markdown_and_the_values_put_into_it_are_escaped(tmp_path: Path) -> None:
    source = '**{{ _("Group:") }}** {{ _("Source: %(sources)s", sources=name) }}'
    assert _render(tmp_path, source, "fr", name="*a* <b>") == f"**Groupe{NBSP}:** Source{NBSP}: \\*a\\* &lt;b>\n"
    assert _render(tmp_path, source, "en", name="*a*") == "**Group:** Source: \\*a\\*\n"
    plural = '{{ ngettext("%(num)s week before session 1", "%(num)s weeks before session 1", n) }}'
    assert _render(tmp_path, plural, "fr", n=1) == "1 semaine avant la séance 1\n"
    assert _render(tmp_path, plural, "fr", n=2) == "2 semaines avant la séance 1\n"
    assert _render(tmp_path, plural, "en", n=3) == "3 weeks before session 1\n"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ('{{ _("%(a)999999999s", a=1) }}', "a % is written %% and a value %(name)s"),
        ('{{ _("%d", a=1) }}', "a % is written %% and a value %(name)s"),
        ('{{ _("Hello %(who)s") }}', "uses %(who)s, but no who= is given"),
        ('{% set big = "x" * 900000 %}{{ _("%(a)s%(a)s", a=big) }}', "characters or items; at most"),
        ("{{ 14.6 | pct(10 ** 9) }}", "pct takes 0 to 6 decimals, not 1000000000"),
    ],
)
def test_a_message_cannot_format_its_way_past_the_limits(tmp_path: Path, source: str, message: str) -> None:
    with pytest.raises(WorkspaceError) as refused:
        _render(tmp_path, source)
    assert re.search(r"probe-\d+\.md\.j2:1:1: template error: ", str(refused.value.problems[0]))
    assert message in str(refused.value.problems[0])


def test_the_page_shell_escapes_what_it_puts_into_a_message() -> None:
    env = jinja2.Environment(autoescape=True)
    from markupsafe import Markup, escape

    from curriculum_gen.render.localize import install_gettext

    install_gettext(env, Markup, lambda value: str(escape(value)))
    assert env.from_string('{{ _("Source: %(sources)s", sources=x) }}').render(x="<b>") == "Source: &lt;b&gt;"
    assert page_number_words() == (("Page ", " of ", ""), ("Page ", " of ", ""))
    with language("fr"):
        assert page_number_words()[1] == ("Page ", " de ", "")


# --------------------------------------------------------------------------- typography on Markdown


@pytest.mark.parametrize(
    ("written", "typeset_as"),
    [
        ("**Groupe :** Mardi", "**Groupe\u00a0:** Mardi"),  # the colon inside the bold still gets its space
        ("« **mot** » et *a* : b", "«\u00a0**mot**\u00a0» et *a*\u00a0: b"),
        (
            "| Début | Minutes |\n|---|---:|\n| 9 h 30 | 15 |",
            "| Début | Minutes |\n|---|---:|\n| 9\u00a0h\u00a030 | 15 |",
        ),
        ("Lancez `curriculum-gen build --lang fr` : voilà", "Lancez `curriculum-gen build --lang fr`\u00a0: voilà"),
        ("<!-- cards -->\n\n- [ ] Oui ! Merci", "<!-- cards -->\n\n- [ ] Oui! Merci"),
        ("[le site](https://exemple.ca/a:b) : fin", "[le site](https://exemple.ca/a:b)\u00a0: fin"),
        ("A &amp; B ; \\_\\_ : c", "A &amp; B; \\_\\_\u00a0: c"),
    ],
)
def test_markdown_gets_french_typography_and_keeps_its_syntax(written: str, typeset_as: str) -> None:
    assert typeset_markdown(written) == typeset_as
    assert typeset_markdown(typeset_as) == typeset_as
    assert parse(typeset_as)[0]  # still Markdown that parses


# --------------------------------------------------------------------------- --lang


def test_lang_takes_en_fr_or_both_and_names_what_it_does_not_know(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["build", "--lang", "en,de", "--out", str(tmp_path / "pack")])
    assert result.exit_code == 2
    assert "unknown language 'de'" in result.stderr and not (tmp_path / "pack").exists()


def test_batch_refuses_a_profile_whose_pack_would_land_on_another_s_french_pack(tmp_path: Path) -> None:
    from curriculum_gen.batch import plan_outputs
    from curriculum_gen.errors import InputError
    from curriculum_gen.render.formats import RenderSettings

    profiles = [tmp_path / "tuesday.yaml", tmp_path / "tuesday-fr.yaml"]
    assert plan_outputs(profiles, tmp_path / "out", RenderSettings(languages=("fr",))) == {
        p: tmp_path / "out" / p.stem for p in profiles
    }
    with pytest.raises(InputError) as clash:
        plan_outputs(profiles, tmp_path / "out", RenderSettings(languages=("en", "fr")))
    assert "tuesday.yaml and tuesday-fr.yaml would all be built into" in str(clash.value.problems[0])
    assert "out/tuesday-fr;" in str(clash.value.problems[0])  # the English of one, the French of the other
    assert str(clash.value.problems[0]).rstrip().endswith("rename all but one so each profile has its own pack")


def test_a_french_handouts_word_header_names_its_title_once(cli) -> None:
    """The typeset title (a no-break space before its colon) is still the handout's own subject."""
    assert cli("handout", "success-storyboard", "--lang", "fr", "--format", "docx", "--out", "h").code == 0
    header = docx.Document("h/success-storyboard.docx").sections[0].header
    text = " ".join(p.text for p in header.paragraphs) + " ".join(
        c.text for t in header.tables for r in t.rows for c in r.cells
    )
    assert text.count("scénarimage") == 1, text
