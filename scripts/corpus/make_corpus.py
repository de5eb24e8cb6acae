#!/usr/bin/env python3
"""Writes the small files of crates/desk-core/tests/corpus/ (the hostile input corpus of issue 15).
The big cases (bombs, 10,000 fields, 10 MB bodies, slow drips) are built by the test itself.
Run from the repository root; the expected outcomes live in corpus/manifest.tsv, kept by hand."""
import json, os, zlib

ROOT = "crates/desk-core/tests/corpus"

def w(kind, name, data):
    os.makedirs(f"{ROOT}/{kind}", exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(f"{ROOT}/{kind}/{name}", "wb") as f:
        f.write(data)

def pdf(objs, trailer_extra="", header=b"%PDF-1.4\n", root=1, xref=True):
    out = bytearray(header)
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += f"{i} 0 obj\n".encode() + (o if isinstance(o, bytes) else o.encode()) + b"\nendobj\n"
    x = len(out)
    if xref:
        out += f"xref\n0 {len(objs)+1}\n0000000000 65535 f \n".encode()
        for o in offs:
            out += f"{o:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs)+1} /Root {root} 0 R {trailer_extra}>>\nstartxref\n{x}\n%%EOF\n".encode()
    return bytes(out)

page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
def pages(n):
    kids = " ".join(f"{3+i} 0 R" for i in range(n))
    return ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>"] + [page] * n

ok1 = pdf(pages(1))
w("pdf", "one-page.pdf", ok1)
w("pdf", "three-pages.pdf", pdf(pages(3)))
w("pdf", "thousand-pages.pdf", pdf(pages(1000)))
w("pdf", "UPPERCASE.PDF", ok1)
w("pdf", "zero-bytes.pdf", b"")
w("pdf", "wrong-magic-gif.pdf", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
w("pdf", "html-named-pdf.pdf", "<!doctype html><title>Not a PDF</title>")
w("pdf", "zip-named-pdf.pdf", b"PK\x03\x04" + b"\x00" * 60)
w("pdf", "bom-before-header.pdf", b"\xef\xbb\xbf" + ok1)
w("pdf", "header-only.pdf", b"%PDF-1.7\n")
w("pdf", "truncated-half.pdf", ok1[: len(ok1) // 2])
w("pdf", "truncated-no-eof.pdf", ok1[: ok1.rindex(b"startxref")])
w("pdf", "encrypted.pdf", pdf(pages(1) + ["<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>"], trailer_extra="/Encrypt 4 0 R "))
w("pdf", "encrypted-aes.pdf", pdf(pages(1) + ["<< /Filter /Standard /V 4 /R 4 /CF << /StdCF << /CFM /AESV2 >> >> /O <00> /U <00> /P -1 >>"], trailer_extra="/Encrypt 4 0 R "))
w("pdf", "huge-page-count.pdf", pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 999999999 >>"]))
w("pdf", "negative-page-count.pdf", pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count -5 >>"]))
w("pdf", "page-tree-loop.pdf", pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]))
w("pdf", "xref-past-eof.pdf", ok1.replace(b"startxref\n", b"startxref\n99999999") )
w("pdf", "no-xref.pdf", pdf(pages(1), xref=False))
w("pdf", "nul-garbage.pdf", b"%PDF-1.4\n" + b"\x00" * 4096)
w("pdf", "stream-length-huge.pdf", pdf(pages(1) + ["<< /Length 99999999999 >>\nstream\nabc\nendstream"]))
w("pdf", "objstm-n-huge.pdf", pdf(pages(1) + [b"<< /Type /ObjStm /N 1000000000 /First 4 /Filter /FlateDecode /Length 12 >>\nstream\n" + zlib.compress(b"1 0 ") + b"\nendstream"]))
w("pdf", "nested-arrays-10k.pdf", pdf(pages(1) + ["[" * 10000 + "]" * 10000]))
w("pdf", "nested-dicts-10k.pdf", pdf(pages(1) + ["<< /A " * 10000 + ">>" * 10000]))
w("pdf", "nested-strings-10k.pdf", pdf(pages(1) + ["(" * 10000 + ")" * 10000]))
w("pdf", "catalog-not-dict.pdf", pdf(["42", "<< /Type /Pages /Kids [] /Count 0 >>"]))

# Form definitions (what the form editor sends as a new form).
def field(name, label=None, t="TEXT", **kw):
    d = {"name": name, "label": label or name, "type": t}
    d.update(kw)
    return d
def form(sections, name="Corpus form"):
    return {"name": name, "language": "EN", "sections": sections}
sec = lambda slug, fields, title=None: {"slug": slug, "title": title or slug, "fields": fields}
J = lambda v: json.dumps(v, ensure_ascii=False, indent=1)
w("forms", "valid.json", J(form([sec("person", [field("full_name", required=True)])])))
w("forms", "not-json.json", "name: Corpus form\nsections: []\n")
w("forms", "empty.json", "")
w("forms", "top-level-array.json", "[]")
w("forms", "sections-not-array.json", J({"name": "X", "language": "EN", "sections": "person"}))
w("forms", "name-is-number.json", J({"name": 42, "language": "EN", "sections": []}))
w("forms", "truncated.json", J(form([sec("person", [field("a")])]))[:40])
w("forms", "duplicate-field-names.json", J(form([sec("person", [field("name"), field("name")])])))
w("forms", "duplicate-section-slugs.json", J(form([sec("person", [field("a")]), sec("person", [field("b")])])))
w("forms", "unknown-field-type.json", J(form([sec("person", [field("a", t="HOLOGRAM")])])))
w("forms", "unicode-rtl-override.json", J(form([sec("person", [field("navn", label="\u202eemaN\u202c")])], name="Kunde \u202e")))
w("forms", "unicode-zero-width-names.json", J(form([sec("person", [field("a\u200bb"), field("ab")])])))
w("forms", "unicode-nfc-nfd-labels.json", J(form([sec("person", [field("by", label="Århus"), field("by2", label="A\u030arhus")])], name="Årsafslutning")))
w("forms", "unicode-emoji-name.json", J(form([sec("person", [field("a", label="Name 😀")])], name="😀📄")))
w("forms", "nul-in-name.json", J(form([sec("person", [field("a\u0000b")])])))
w("forms", "empty-field-name.json", J(form([sec("person", [field("")])])))
w("forms", "no-sections.json", J(form([])))
w("forms", "lone-surrogate.json", '{"name": "\\ud800", "language": "EN", "sections": []}')

# Signers: one casefile draft each (one document, letter.pdf).
def draft(signers, **cf):
    d = {"caseFile": {"title": "Corpus", "signers": signers,
         "documents": [{"name": "letter.pdf", "title": "Letter"}]}}
    d["caseFile"].update(cf)
    return d
s = lambda **kw: dict({"name": "Anna Berg", "email": "anna@example.com"}, **kw)
w("signers", "valid.json", J(draft([s()])))
for n, e in [("email-no-at", "anna.example.com"), ("email-two-ats", "anna@@example.com"),
             ("email-spaces", "anna berg@example.com"), ("email-no-domain", "anna@"),
             ("email-too-long", "a" * 250 + "@example.com"), ("email-trailing-dot", "anna@example."),
             ("email-newline-header", "anna@example.com\nBcc: x@evil.example")]:
    w("signers", f"{n}.json", J(draft([s(email=e)])))
w("signers", "role-with-ae-oe-aa.json", J(draft([s(role="Bestyrelsesformand Ærø")])))
w("signers", "role-too-long.json", J(draft([s(role="R" * 300)])))
w("signers", "role-markup.json", J(draft([s(role="<script>alert(1)</script>")])))
w("signers", "no-signers.json", J(draft([])))
w("signers", "empty-name.json", J(draft([s(name="   ")])))
w("signers", "cpr-unknown-ssn-type.json", J(draft([s(ssnType="dk:cprx", ssn="0101901234")])))
w("signers", "cpr-with-dash.json", J(draft([s(ssnType="dk:cpr", ssn="010190-1234")])))
w("signers", "cpr-letters.json", J(draft([s(ssnType="dk:cpr", ssn="abcdefghij")])))
w("signers", "language-nb.json", J(draft([s(language="nb")])))
w("signers", "email-subject-short.json", J(draft([s(emailSubject="Hi")])))
w("signers", "reminder-zero.json", J(draft([s(reminderInterval=0)])))
w("signers", "name-is-object.json", J(draft([{"name": {"first": "Anna"}, "email": "anna@example.com"}])))

# Server replies to GET /api/v1/casefiles/1 (a casefile): status line, headers, blank line, body.
def reply(status, body, ctype="application/json", extra=""):
    b = body.encode() if isinstance(body, str) else body
    return f"HTTP/1.1 {status}\r\ncontent-type: {ctype}\r\ncontent-length: {len(b)}\r\n{extra}connection: close\r\n\r\n".encode() + b
w("replies", "valid-casefile.http", reply("200 OK", '{"id": 1, "title": "Letter", "status": 1}'))
w("replies", "malformed-json.http", reply("200 OK", '{"id": 1, "title": "Letter",'))
w("replies", "json-null.http", reply("200 OK", "null"))
w("replies", "json-array.http", reply("200 OK", "[]"))
w("replies", "id-is-string-word.http", reply("200 OK", '{"id": "one", "title": "Letter"}'))
w("replies", "title-is-object.http", reply("200 OK", '{"id": 1, "title": {"en": "Letter"}}'))
w("replies", "empty-200.http", reply("200 OK", ""))
w("replies", "html-200.http", reply("200 OK", "<html><body>Maintenance</body></html>", "text/html"))
w("replies", "html-502.http", reply("502 Bad Gateway", "<html><body>Bad gateway</body></html>", "text/html"))
w("replies", "error-json-400.http", reply("400 Bad Request", '{"errors": {"title": ["too long"]}}'))
w("replies", "404.http", reply("404 Not Found", '{"message": "Not found"}'))
w("replies", "content-length-lies.http", b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\nconnection: close\r\n\r\n{\"id\": 1}")
w("replies", "garbage-status-line.http", b"HTTQ/9.9 abc\r\n\r\n")
w("replies", "utf8-invalid.http", reply("200 OK", b'{"id": 1, "title": "\xff\xfe"}'))
print("corpus written under", ROOT)
