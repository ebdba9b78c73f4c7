#!/usr/bin/env python3
"""Authoring tool: builds the example project's office files from sources/.

Run by hand after editing a source text; the outputs are committed:

    python3 examples/make-office-files.py

  sources/focusgroep-ouders-almere.txt      -> focusgroep-ouders-almere.odt
  sources/focusgroep-werkgevers-zwolle.txt  -> focusgroep-werkgevers-zwolle.docx
  sources/werkgever-interview-bakkerij.txt  -> werkgever-interview-bakkerij.txt
                                               (Windows-1252, CRLF)

Source format: the first non-empty line is the title (a heading); every
further non-empty line is one paragraph. A paragraph that starts with a
speaker label ("Naam:", at most four words) gets that label, colon
included, in bold, as a word processor user would type it.

Only the standard library is used. The zip entries carry a fixed date so
that running the script twice gives identical bytes.
"""

import os
import re
import sys
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "sources")
ZIP_DATE = (2017, 10, 12, 16, 30, 0)

LABEL_RE = re.compile(r"^([A-ZÀ-Ý][^:\[\]#]{0,40}?):(?=\s)")


def read_source(name):
    with open(os.path.join(SOURCES, name), encoding="utf-8") as f:
        lines = [line.rstrip("\r\n") for line in f]
    lines = [line for line in lines if line.strip()]
    if not lines:
        sys.exit(f"{name}: empty source")
    return lines[0], lines[1:]


def split_label(line):
    """Returns (label incl. colon, rest) or (None, line)."""
    m = LABEL_RE.match(line)
    if m and len(m.group(1).split()) <= 4:
        return line[: m.end()], line[m.end():]
    return None, line


def write_zip(path, entries, stored_first=None):
    """entries: list of (name, bytes). stored_first: (name, bytes) written
    first and uncompressed (ODF's mimetype)."""
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w") as z:
        if stored_first is not None:
            info = zipfile.ZipInfo(stored_first[0], date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            z.writestr(info, stored_first[1])
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    os.replace(tmp, path)


# --------------------------------------------------------------------- ODT

ODF_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def odf_text(s, at_start):
    """Escapes s for a text:p. ODF collapses white space, so a run of n
    spaces is written as one space plus <text:s text:c="n-1"/>, and a
    space at the start of a paragraph as <text:s/>."""
    out = []
    for part in re.split(r"( +|\t|\n)", s):
        if not part:
            continue
        if part == "\t":
            out.append("<text:tab/>")
            at_start = False
        elif part == "\n":
            out.append("<text:line-break/>")
            at_start = True
        elif part[0] == " ":
            n = len(part)
            lead = "" if at_start else " "
            extra = n if at_start else n - 1
            if extra == 1:
                out.append(lead + "<text:s/>")
            elif extra > 1:
                out.append(lead + f'<text:s text:c="{extra}"/>')
            else:
                out.append(lead)
            at_start = False
        else:
            out.append(escape(part))
            at_start = False
    return "".join(out)


def make_odt(source, target):
    title, paragraphs = read_source(source)
    body = [
        '<text:h text:style-name="Heading_20_1" text:outline-level="1">'
        + odf_text(title, True) + "</text:h>"
    ]
    for line in paragraphs:
        label, rest = split_label(line)
        if label:
            body.append(
                '<text:p text:style-name="Standard">'
                '<text:span text:style-name="T1">' + escape(label) + "</text:span>"
                + odf_text(rest, False) + "</text:p>"
            )
        else:
            body.append('<text:p text:style-name="Standard">'
                        + odf_text(line, True) + "</text:p>")

    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-content {ODF_NS} office:version="1.2">'
        "<office:automatic-styles>"
        '<style:style style:name="T1" style:family="text">'
        '<style:text-properties fo:font-weight="bold" '
        'style:font-weight-asian="bold" style:font-weight-complex="bold"/>'
        "</style:style>"
        "</office:automatic-styles>"
        "<office:body><office:text>" + "".join(body)
        + "</office:text></office:body></office:document-content>\n"
    )
    styles = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-styles {ODF_NS} office:version="1.2">'
        "<office:styles>"
        '<style:style style:name="Standard" style:family="paragraph" '
        'style:class="text"><style:paragraph-properties '
        'fo:margin-bottom="0.2cm"/></style:style>'
        '<style:style style:name="Heading_20_1" style:display-name="Heading 1" '
        'style:family="paragraph" style:parent-style-name="Standard" '
        'style:default-outline-level="1" style:class="text">'
        '<style:text-properties fo:font-size="16pt" fo:font-weight="bold"/>'
        "</style:style>"
        "</office:styles></office:document-styles>\n"
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-meta {ODF_NS} office:version="1.2"><office:meta>'
        "<meta:generator>codewerk examples/make-office-files.py</meta:generator>"
        f"<dc:title>{escape(title)}</dc:title>"
        "<meta:creation-date>2017-05-24T10:12:00</meta:creation-date>"
        "<dc:language>nl-NL</dc:language>"
        "</office:meta></office:document-meta>\n"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>\n"
    )
    write_zip(
        os.path.join(HERE, target),
        [
            ("META-INF/manifest.xml", manifest.encode("utf-8")),
            ("content.xml", content.encode("utf-8")),
            ("styles.xml", styles.encode("utf-8")),
            ("meta.xml", meta.encode("utf-8")),
        ],
        stored_first=("mimetype", b"application/vnd.oasis.opendocument.text"),
    )


# -------------------------------------------------------------------- DOCX

W_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')

# Word splits words over runs when a word was edited in a later session
# (another rsid), and marks words its speller does not know with proofErr.
# Each entry: word -> (pieces, proofErr?). Applied to the first occurrence.
DOCX_QUIRKS = {
    "loonkostensubsidie": (["loonkosten", "subsidie"], False),
    "werkgeversservicepunt": (["werkgevers", "servicepunt"], True),
    "Praktijkroute": (["Praktijkroute"], True),
    "buddy": (["bud", "dy"], False),
}


def w_run(text, rsid=None, bold=False):
    attr = f' w:rsidR="{rsid}"' if rsid else ""
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r{attr}>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def w_runs(text, pending):
    """Normal runs for text, applying each quirk in pending once."""
    for word in list(pending):
        m = re.search(r"\b" + re.escape(word) + r"\b", text)
        if not m:
            continue
        pieces, proof = pending.pop(word)
        mid = "".join(w_run(p, rsid=f"00C4{i:1d}7A2") for i, p in enumerate(pieces))
        if proof:
            mid = ('<w:proofErr w:type="spellStart"/>' + mid
                   + '<w:proofErr w:type="spellEnd"/>')
        return (w_runs(text[: m.start()], pending) + mid
                + w_runs(text[m.end():], pending))
    return w_run(text) if text else ""


def make_docx(source, target):
    title, paragraphs = read_source(source)
    pending = dict(DOCX_QUIRKS)
    body = [
        '<w:p w:rsidR="00A1302B" w:rsidRDefault="00A1302B">'
        '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>'
        + w_run(title) + "</w:p>"
    ]
    for line in paragraphs:
        label, rest = split_label(line)
        runs = (w_run(label, bold=True) if label else "") + w_runs(rest, pending)
        body.append('<w:p w:rsidR="00A1302B" w:rsidRDefault="00A1302B">'
                    + runs + "</w:p>")
    if pending:
        sys.exit(f"{source}: quirk words not found: {', '.join(pending)}")

    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document {W_NS}><w:body>" + "".join(body)
        + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" '
        'w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
        "</w:body></w:document>"
    )
    styles = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:styles {W_NS}>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'
        '<w:name w:val="Normal"/><w:qFormat/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading1">'
        '<w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
        '<w:next w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:outlineLvl w:val="0"/></w:pPr>'
        '<w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>'
        "</w:styles>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        "</Relationships>"
    )
    doc_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    )
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:language>nl-NL</dc:language>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2017-10-13T09:05:00Z</dcterms:created>'
        "</cp:coreProperties>"
    )
    write_zip(
        os.path.join(HERE, target),
        [
            ("[Content_Types].xml", content_types.encode("utf-8")),
            ("_rels/.rels", rels.encode("utf-8")),
            ("word/document.xml", document.encode("utf-8")),
            ("word/styles.xml", styles.encode("utf-8")),
            ("word/_rels/document.xml.rels", doc_rels.encode("utf-8")),
            ("docProps/core.xml", core.encode("utf-8")),
        ],
    )


# ------------------------------------------------------------ Windows-1252

def make_cp1252(source, target):
    with open(os.path.join(SOURCES, source), encoding="utf-8") as f:
        text = f.read()
    data = text.replace("\r\n", "\n").replace("\n", "\r\n").encode("cp1252")
    with open(os.path.join(HERE, target), "wb") as f:
        f.write(data)


def main():
    make_odt("focusgroep-ouders-almere.txt", "focusgroep-ouders-almere.odt")
    make_docx("focusgroep-werkgevers-zwolle.txt", "focusgroep-werkgevers-zwolle.docx")
    make_cp1252("werkgever-interview-bakkerij.txt", "werkgever-interview-bakkerij.txt")


if __name__ == "__main__":
    main()
