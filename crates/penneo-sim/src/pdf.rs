//! PDF helpers: small generated text PDFs (demo data, Collect submissions) and sealing
//! (appending a signature page to an uploaded PDF).

use std::path::Path;

use lopdf::{dictionary, Object, Stream};

use crate::error::SimError;

const LINES_PER_PAGE: usize = 46;

/// Encode text as a PDF literal string body in WinAnsi (Latin-1 subset), escaping specials.
fn pdf_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '(' => out.push_str("\\("),
            ')' => out.push_str("\\)"),
            '\\' => out.push_str("\\\\"),
            c if (' '..='~').contains(&c) => out.push(c),
            c if (c as u32) >= 0xA0 && (c as u32) <= 0xFF => {
                out.push_str(&format!("\\{:03o}", c as u32));
            }
            '\u{2013}' | '\u{2014}' => out.push('-'),
            '\u{2019}' | '\u{2018}' => out.push('\''),
            _ => out.push('?'),
        }
    }
    out
}

fn content_for(title: &str, lines: &[String], first: bool) -> Vec<u8> {
    let mut c = String::from("BT\n");
    let mut y = 790;
    if first {
        c.push_str(&format!(
            "/F2 16 Tf 1 0 0 1 56 {y} Tm ({}) Tj\n",
            pdf_string(title)
        ));
        y -= 30;
    }
    c.push_str(&format!("/F1 10.5 Tf 15 TL 1 0 0 1 56 {y} Tm\n"));
    for l in lines {
        c.push_str(&format!("({}) Tj T*\n", pdf_string(l)));
    }
    c.push_str("ET\n");
    c.into_bytes()
}

/// A small, valid text PDF (Helvetica, A4) with a title and lines, paginated.
pub fn text_pdf(title: &str, lines: &[String]) -> Vec<u8> {
    let chunks: Vec<&[String]> = if lines.is_empty() {
        vec![&[][..]]
    } else {
        lines.chunks(LINES_PER_PAGE).collect()
    };
    let n = chunks.len();
    // Object numbers: 1 catalog, 2 pages, 3 F1, 4 F2, 5 info, then (page, content) pairs.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
    objects
        .push(format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), n).into_bytes());
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    objects.push(
        format!(
            "<< /Title ({}) /Producer (penneo-sim) /Creator (Penneo simulator) >>",
            pdf_string(title)
        )
        .into_bytes(),
    );
    for (i, chunk) in chunks.iter().enumerate() {
        let content = content_for(title, chunk, i == 0);
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                7 + 2 * i
            )
            .into_bytes(),
        );
        let mut obj = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        obj.extend_from_slice(&content);
        obj.extend_from_slice(b"endstream");
        objects.push(obj);
    }
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Whether a file looks like a complete PDF: `%PDF-` header and `%%EOF` near the end.
pub fn looks_complete(path: &Path) -> Result<bool, SimError> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    let mut head = [0u8; 5];
    if len < 5 {
        return Ok(false);
    }
    f.read_exact(&mut head)?;
    if &head != b"%PDF-" {
        return Ok(false);
    }
    let tail_len = len.min(2048);
    f.seek(SeekFrom::Start(len - tail_len))?;
    let mut tail = Vec::with_capacity(tail_len as usize);
    f.read_to_end(&mut tail)?;
    Ok(tail.windows(5).any(|w| w == b"%%EOF"))
}

/// Seal a PDF: append a signature page with `lines` to `original`, writing `out`.
/// Returns the size of the sealed file.
///
/// Files with a classic cross-reference table get an incremental update (the original bytes
/// are copied unchanged, then new objects, a new xref section and trailer are appended), which
/// needs constant memory whatever the file size. Anything else (xref streams, encryption,
/// unusual layouts) is rewritten through lopdf.
pub fn seal(original: &Path, out: &Path, title: &str, lines: &[String]) -> Result<u64, SimError> {
    match seal_incremental(original, out, title, lines) {
        Ok(Some(size)) => Ok(size),
        Ok(None) | Err(_) => seal_rewrite(original, out, title, lines),
    }
}

/// Parse helpers for the incremental path (classic xref only).
mod inc {
    /// Skip PDF whitespace.
    pub fn ws(b: &[u8], mut i: usize) -> usize {
        while i < b.len() && matches!(b[i], b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0') {
            i += 1;
        }
        i
    }

    pub fn int(b: &[u8], i: usize) -> Option<(u64, usize)> {
        let i = ws(b, i);
        let mut j = i;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j == i {
            return None;
        }
        std::str::from_utf8(&b[i..j])
            .ok()?
            .parse()
            .ok()
            .map(|n| (n, j))
    }

    /// End (exclusive) of the dictionary starting at `i` (which must be at `<<`).
    pub fn dict_end(b: &[u8], i: usize) -> Option<usize> {
        if !b[i..].starts_with(b"<<") {
            return None;
        }
        let mut depth = 0usize;
        let mut k = i;
        while k < b.len() {
            match b[k] {
                b'(' => {
                    // Literal string with nesting and escapes.
                    let mut d = 0usize;
                    while k < b.len() {
                        match b[k] {
                            b'\\' => k += 1,
                            b'(' => d += 1,
                            b')' => {
                                d -= 1;
                                if d == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        k += 1;
                    }
                }
                b'%' => {
                    while k < b.len() && b[k] != b'\n' && b[k] != b'\r' {
                        k += 1;
                    }
                }
                b'<' if b.get(k + 1) == Some(&b'<') => {
                    depth += 1;
                    k += 1;
                }
                b'>' if b.get(k + 1) == Some(&b'>') => {
                    depth -= 1;
                    k += 1;
                    if depth == 0 {
                        return Some(k + 1);
                    }
                }
                _ => {}
            }
            k += 1;
        }
        None
    }

    /// Position of `/Key` as a top-level key of the dictionary `d` (returns index after key).
    pub fn key(d: &[u8], name: &[u8]) -> Option<usize> {
        let mut depth = 0i32;
        let mut k = 0;
        while k < d.len() {
            match d[k] {
                b'<' if d.get(k + 1) == Some(&b'<') => {
                    depth += 1;
                    k += 2;
                    continue;
                }
                b'>' if d.get(k + 1) == Some(&b'>') => {
                    depth -= 1;
                    k += 2;
                    continue;
                }
                b'[' => depth += 1,
                b']' => depth -= 1,
                b'/' if depth == 1 && d[k + 1..].starts_with(name) => {
                    let after = k + 1 + name.len();
                    let delim = d.get(after).is_none_or(|c| !c.is_ascii_alphanumeric());
                    if delim {
                        return Some(after);
                    }
                }
                _ => {}
            }
            k += 1;
        }
        None
    }

    /// `n g R` at `i`.
    pub fn reference(d: &[u8], i: usize) -> Option<(u64, u64)> {
        let (n, j) = int(d, i)?;
        let (g, j) = int(d, j)?;
        let j = ws(d, j);
        (d.get(j) == Some(&b'R')).then_some((n, g))
    }
}

/// Incremental-update sealing. `Ok(None)` when the file is not a layout this path handles.
fn seal_incremental(
    original: &Path,
    out: &Path,
    title: &str,
    lines: &[String],
) -> Result<Option<u64>, SimError> {
    use inc::*;
    use std::io::{Read, Seek, SeekFrom, Write};
    let mut f = std::fs::File::open(original)?;
    let len = f.metadata()?.len();
    let read_at = |f: &mut std::fs::File, at: u64, max: u64| -> Result<Vec<u8>, SimError> {
        f.seek(SeekFrom::Start(at))?;
        let mut buf = Vec::new();
        f.take(max).read_to_end(&mut buf)?;
        Ok(buf)
    };
    let tail_len = len.min(4096);
    let tail = read_at(&mut f, len - tail_len, tail_len)?;
    let Some(sx) = tail.windows(9).rposition(|w| w == b"startxref") else {
        return Ok(None);
    };
    let Some((xref_off, _)) = int(&tail, sx + 9) else {
        return Ok(None);
    };
    // Read every xref section in the /Prev chain (classic tables only).
    let mut offsets: std::collections::HashMap<u64, (u64, u64)> = std::collections::HashMap::new();
    let mut trailer: Option<Vec<u8>> = None;
    let mut next = Some(xref_off);
    let mut guard = 0;
    while let Some(at) = next.take() {
        guard += 1;
        if guard > 64 || at >= len {
            return Ok(None);
        }
        let sec = read_at(&mut f, at, 16 * 1024 * 1024)?;
        if !sec.starts_with(b"xref") {
            return Ok(None);
        }
        let mut i = 4;
        loop {
            let j = ws(&sec, i);
            if sec[j..].starts_with(b"trailer") {
                i = j + 7;
                break;
            }
            let Some((start, j)) = int(&sec, j) else {
                return Ok(None);
            };
            let Some((count, j)) = int(&sec, j) else {
                return Ok(None);
            };
            let mut k = ws(&sec, j);
            for n in 0..count {
                let Some(entry) = sec.get(k..k + 18) else {
                    return Ok(None);
                };
                let off: u64 = std::str::from_utf8(&entry[0..10])
                    .ok()
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(0);
                let gen: u64 = std::str::from_utf8(&entry[11..16])
                    .ok()
                    .and_then(|x| x.parse().ok())
                    .unwrap_or(0);
                if entry[17] == b'n' {
                    offsets.entry(start + n).or_insert((off, gen));
                }
                k = ws(&sec, k + 18);
            }
            i = k;
        }
        let i = ws(&sec, i);
        let Some(end) = dict_end(&sec, i) else {
            return Ok(None);
        };
        let t = sec[i..end].to_vec();
        if key(&t, b"XRefStm").is_some() {
            return Ok(None);
        }
        next = key(&t, b"Prev").and_then(|p| int(&t, p)).map(|(o, _)| o);
        if trailer.is_none() {
            trailer = Some(t);
        }
    }
    let Some(trailer) = trailer else {
        return Ok(None);
    };
    if key(&trailer, b"Encrypt").is_some() {
        return Ok(None);
    }
    let Some((size, _)) = key(&trailer, b"Size").and_then(|p| int(&trailer, p)) else {
        return Ok(None);
    };
    let Some(root) = key(&trailer, b"Root").and_then(|p| reference(&trailer, p)) else {
        return Ok(None);
    };
    let mut object_dict = |num: u64| -> Result<Option<(u64, Vec<u8>)>, SimError> {
        let Some(&(off, gen)) = offsets.get(&num) else {
            return Ok(None);
        };
        let buf = read_at(&mut f, off, 256 * 1024)?;
        let Some((n, j)) = int(&buf, 0) else {
            return Ok(None);
        };
        let Some((_, j)) = int(&buf, j) else {
            return Ok(None);
        };
        let j = ws(&buf, j);
        if n != num || !buf[j..].starts_with(b"obj") {
            return Ok(None);
        }
        let j = ws(&buf, j + 3);
        let Some(end) = dict_end(&buf, j) else {
            return Ok(None);
        };
        Ok(Some((gen, buf[j..end].to_vec())))
    };
    let Some((_, catalog)) = object_dict(root.0)? else {
        return Ok(None);
    };
    let Some(pages) = key(&catalog, b"Pages").and_then(|p| reference(&catalog, p)) else {
        return Ok(None);
    };
    let Some((pages_gen, pages_dict)) = object_dict(pages.0)? else {
        return Ok(None);
    };
    let Some(count_at) = key(&pages_dict, b"Count") else {
        return Ok(None);
    };
    let Some((count, count_end)) = int(&pages_dict, count_at) else {
        return Ok(None);
    };
    let Some(kids_at) = key(&pages_dict, b"Kids") else {
        return Ok(None);
    };
    let kids_open = ws(&pages_dict, kids_at);
    if pages_dict.get(kids_open) != Some(&b'[') {
        return Ok(None);
    }
    let Some(kids_close) = pages_dict[kids_open..]
        .iter()
        .position(|c| *c == b']')
        .map(|p| p + kids_open)
    else {
        return Ok(None);
    };
    // New objects: fonts, content, page; then the updated Pages node.
    let (f1, f2, content_id, page_id) = (size, size + 1, size + 2, size + 3);
    let mut new_pages = Vec::new();
    // Rebuild the Pages dictionary: replace the Count value and append to Kids.
    let count_start = ws(&pages_dict, count_at);
    let mut edits: Vec<(usize, usize, Vec<u8>)> = vec![
        (
            count_start,
            count_end,
            format!("{}", count + 1).into_bytes(),
        ),
        (
            kids_close,
            kids_close,
            format!(" {page_id} 0 R").into_bytes(),
        ),
    ];
    edits.sort_by_key(|e| e.0);
    let mut last = 0;
    for (a, b, rep) in edits {
        new_pages.extend_from_slice(&pages_dict[last..a]);
        new_pages.extend_from_slice(&rep);
        last = b;
    }
    new_pages.extend_from_slice(&pages_dict[last..]);
    let content = content_for(title, lines, true);
    let mut objs: Vec<(u64, u64, Vec<u8>)> = vec![
        (f1, 0, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec()),
        (f2, 0, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".to_vec()),
    ];
    let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    stream.extend_from_slice(&content);
    stream.extend_from_slice(b"\nendstream");
    objs.push((content_id, 0, stream));
    objs.push((
        page_id,
        0,
        format!(
            "<< /Type /Page /Parent {} {} R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {f1} 0 R /F2 {f2} 0 R >> >> /Contents {content_id} 0 R >>",
            pages.0, pages.1
        )
        .into_bytes(),
    ));
    objs.push((pages.0, pages_gen, new_pages));
    // Copy the original, then append the update.
    let mut w = std::io::BufWriter::new(std::fs::File::create(out)?);
    f.seek(SeekFrom::Start(0))?;
    std::io::copy(&mut f, &mut w)?;
    let mut pos = len;
    fn emit(
        w: &mut std::io::BufWriter<std::fs::File>,
        pos: &mut u64,
        b: &[u8],
    ) -> Result<(), SimError> {
        w.write_all(b)?;
        *pos += b.len() as u64;
        Ok(())
    }
    emit(&mut w, &mut pos, b"\n")?;
    let mut entries: Vec<(u64, u64, u64)> = Vec::new();
    for (num, gen, body) in &objs {
        entries.push((*num, *gen, pos));
        emit(&mut w, &mut pos, format!("{num} {gen} obj\n").as_bytes())?;
        emit(&mut w, &mut pos, body)?;
        emit(&mut w, &mut pos, b"\nendobj\n")?;
    }
    let xref_at = pos;
    entries.sort_by_key(|e| e.0);
    let mut x = String::from("xref\n0 1\n0000000000 65535 f \n");
    let mut i = 0;
    while i < entries.len() {
        let mut j = i;
        while j + 1 < entries.len() && entries[j + 1].0 == entries[j].0 + 1 {
            j += 1;
        }
        x.push_str(&format!("{} {}\n", entries[i].0, j - i + 1));
        for e in &entries[i..=j] {
            x.push_str(&format!("{:010} {:05} n \n", e.2, e.1));
        }
        i = j + 1;
    }
    let mut t = format!(
        "trailer\n<< /Size {} /Root {} {} R /Prev {xref_off}",
        size + 4,
        root.0,
        root.1
    );
    if let Some(info) = key(&trailer, b"Info").and_then(|p| reference(&trailer, p)) {
        t.push_str(&format!(" /Info {} {} R", info.0, info.1));
    }
    if let Some(id_at) = key(&trailer, b"ID") {
        let a = ws(&trailer, id_at);
        if let Some(end) = trailer[a..].iter().position(|c| *c == b']') {
            t.push_str(" /ID ");
            t.push_str(&String::from_utf8_lossy(&trailer[a..a + end + 1]));
        }
    }
    t.push_str(&format!(" >>\nstartxref\n{xref_at}\n%%EOF\n"));
    emit(&mut w, &mut pos, x.as_bytes())?;
    emit(&mut w, &mut pos, t.as_bytes())?;
    w.flush()?;
    let file = w.into_inner().map_err(|e| SimError::Io(e.into_error()))?;
    file.sync_all()?;
    Ok(Some(file.metadata()?.len()))
}

/// Sealing by rewriting the whole document through lopdf (any PDF lopdf can read).
fn seal_rewrite(
    original: &Path,
    out: &Path,
    title: &str,
    lines: &[String],
) -> Result<u64, SimError> {
    let perr = |e: lopdf::Error| SimError::Pdf(e.to_string());
    let mut doc = lopdf::Document::load(original).map_err(perr)?;
    let pages_id = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(perr)?;
    let f1 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let f2 = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica-Bold",
        "Encoding" => "WinAnsiEncoding",
    });
    let content = content_for(title, lines, true);
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => f1, "F2" => f2 } },
        "Contents" => content_id,
    });
    let pages = doc
        .get_object_mut(pages_id)
        .and_then(Object::as_dict_mut)
        .map_err(perr)?;
    let count = pages.get(b"Count").and_then(Object::as_i64).unwrap_or(0);
    pages.set("Count", count + 1);
    match pages.get_mut(b"Kids").and_then(Object::as_array_mut) {
        Ok(kids) => kids.push(page_id.into()),
        Err(_) => pages.set("Kids", vec![Object::from(page_id)]),
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(out)?);
    doc.save_to(&mut file)?;
    use std::io::Write;
    file.flush()?;
    let f = file
        .into_inner()
        .map_err(|e| SimError::Io(e.into_error()))?;
    f.sync_all()?;
    Ok(f.metadata()?.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_pdf_parses_and_seal_adds_a_page() {
        let dir = tempfile::tempdir().unwrap();
        let lines: Vec<String> = (0..60)
            .map(|i| format!("Linje {i}: Søren Ærø (ok)"))
            .collect();
        let bytes = text_pdf("Engagement letter", &lines);
        assert!(bytes.starts_with(b"%PDF-"));
        let orig = dir.path().join("a.pdf");
        std::fs::write(&orig, &bytes).unwrap();
        assert!(looks_complete(&orig).unwrap());
        let doc = lopdf::Document::load(&orig).unwrap();
        assert_eq!(doc.get_pages().len(), 2);
        let sealed = dir.path().join("b.pdf");
        seal(&orig, &sealed, "Signatures", &["Signed by Ida Holm".into()]).unwrap();
        let doc2 = lopdf::Document::load(&sealed).unwrap();
        assert_eq!(doc2.get_pages().len(), 3);
        let sealed_bytes = std::fs::read(&sealed).unwrap();
        assert_ne!(sealed_bytes, bytes);
        // Incremental update: the original bytes are kept unchanged as a prefix.
        assert!(sealed_bytes.starts_with(&bytes));
        let text = doc2.extract_text(&[3]).unwrap();
        assert!(text.contains("Ida Holm"), "{text}");
    }

    fn vm_hwm_kb() -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with("VmHWM:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    }

    /// Memory cost of sealing a 150 MB PDF (Linux; run with `--ignored --nocapture`).
    #[test]
    #[ignore]
    fn sealing_memory_for_a_large_pdf() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let orig = dir.path().join("big.pdf");
        let mut w = std::io::BufWriter::new(std::fs::File::create(&orig).unwrap());
        let op = b"0 0 m 1 1 l S\n";
        let n = 150 * 1024 * 1024 / op.len();
        let mut offs = vec![];
        let mut pos = 0usize;
        let put = |w: &mut std::io::BufWriter<std::fs::File>, b: &[u8], pos: &mut usize| {
            w.write_all(b).unwrap();
            *pos += b.len();
        };
        put(&mut w, b"%PDF-1.4\n", &mut pos);
        offs.push(pos);
        put(
            &mut w,
            b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
            &mut pos,
        );
        offs.push(pos);
        put(
            &mut w,
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
            &mut pos,
        );
        offs.push(pos);
        put(&mut w, b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>\nendobj\n", &mut pos);
        offs.push(pos);
        put(
            &mut w,
            format!("4 0 obj\n<< /Length {} >>\nstream\n", n * op.len()).as_bytes(),
            &mut pos,
        );
        for _ in 0..n {
            put(&mut w, op, &mut pos);
        }
        put(&mut w, b"\nendstream\nendobj\n", &mut pos);
        let x = pos;
        put(&mut w, b"xref\n0 5\n0000000000 65535 f \n", &mut pos);
        for o in offs {
            put(&mut w, format!("{o:010} 00000 n \n").as_bytes(), &mut pos);
        }
        put(
            &mut w,
            format!("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n{x}\n%%EOF\n").as_bytes(),
            &mut pos,
        );
        w.flush().unwrap();
        drop(w);
        let before = vm_hwm_kb();
        let t = std::time::Instant::now();
        let sealed = dir.path().join("sealed.pdf");
        let size = seal(&orig, &sealed, "Signature page", &["Signed".into()]).unwrap();
        let inc_time = t.elapsed();
        let inc_peak = vm_hwm_kb();
        // Baseline in the same run: the lopdf rewrite.
        let t = std::time::Instant::now();
        seal_rewrite(
            &orig,
            &dir.path().join("rewritten.pdf"),
            "Signature page",
            &["Signed".into()],
        )
        .unwrap();
        let rewrite_time = t.elapsed();
        let rewrite_peak = vm_hwm_kb();
        eprintln!(
            "sealing {} MB: incremental {:?}, peak RSS {} -> {} MB; lopdf rewrite {:?}, peak RSS {} MB; time ratio rewrite/incremental {:.1}x",
            pos >> 20,
            inc_time,
            before >> 10,
            inc_peak >> 10,
            rewrite_time,
            rewrite_peak >> 10,
            rewrite_time.as_secs_f64() / inc_time.as_secs_f64().max(1e-9)
        );
        assert!(size > pos as u64);
        assert!(
            inc_peak - before < 64 * 1024,
            "incremental sealing must not load the file"
        );
        let doc = lopdf::Document::load(&sealed).unwrap();
        assert_eq!(doc.get_pages().len(), 2);
    }

    #[test]
    fn sealing_twice_follows_the_prev_chain() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.pdf");
        std::fs::write(&a, text_pdf("Twice", &["one".into()])).unwrap();
        let b = dir.path().join("b.pdf");
        let c = dir.path().join("c.pdf");
        seal(&a, &b, "First", &["Signed by A".into()]).unwrap();
        seal(&b, &c, "Second", &["Signed by B".into()]).unwrap();
        let bb = std::fs::read(&b).unwrap();
        let cb = std::fs::read(&c).unwrap();
        assert!(cb.starts_with(&bb));
        let doc = lopdf::Document::load(&c).unwrap();
        assert_eq!(doc.get_pages().len(), 3);
        assert!(doc.extract_text(&[3]).unwrap().contains("Signed by B"));
        assert!(doc.extract_text(&[2]).unwrap().contains("Signed by A"));
    }

    #[test]
    fn xref_stream_pdfs_fall_back_to_a_rewrite() {
        let dir = tempfile::tempdir().unwrap();
        let mut doc = lopdf::Document::load_mem(&text_pdf("Modern", &["x".into()])).unwrap();
        let mut modern = Vec::new();
        doc.save_modern(&mut modern).unwrap();
        assert!(
            modern.windows(5).any(|w| w == b"/XRef"),
            "lopdf wrote an xref stream"
        );
        let a = dir.path().join("m.pdf");
        std::fs::write(&a, &modern).unwrap();
        let b = dir.path().join("m2.pdf");
        seal(&a, &b, "Sig", &["Signed by C".into()]).unwrap();
        assert!(
            !std::fs::read(&b).unwrap().starts_with(&modern),
            "rewritten, not appended"
        );
        let out = lopdf::Document::load(&b).unwrap();
        assert_eq!(out.get_pages().len(), 2);
        assert!(out.extract_text(&[2]).unwrap().contains("Signed by C"));
    }
}
