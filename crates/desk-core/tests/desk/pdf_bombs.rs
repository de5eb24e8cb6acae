//! Hostile PDFs at intake: a compression bomb (an object stream that unpacks to 4 GiB) and
//! 200,000 nested `[` are refused with a clear message, without crashing and with the whole
//! process staying under 200 MB at its peak. Each hostile check runs in a child process (this
//! test binary, re-run on one test), so a stack overflow or an abort fails the test instead of
//! taking the runner down, and the child's peak memory (`VmHWM` in `/proc/self/status`) is
//! that of the check alone.
//!
//! Also: PDFs written with object streams and cross-reference streams (how most producers write
//! today) still get their page count, and an `/Encrypt` in a cross-reference stream is found.

use std::io::Write;
use std::path::{Path, PathBuf};

use desk_core::intake::{check_files, IntakeOptions, IntakeResult, RejectReason};
use flate2::{Compress, Compression, FlushCompress};

const CHILD_PDF: &str = "DESK_PDF_BOMB_CHILD_PDF";
/// The limit the issue sets for the peak memory of a hostile check.
const PEAK_LIMIT_KB: u64 = 200 * 1024;
const MIB: usize = 1024 * 1024;

fn adler32_extend(mut a: u32, mut b: u32, bytes: &[u8]) -> (u32, u32) {
    for &c in bytes {
        a = (a + u32::from(c)) % 65521;
        b = (b + a) % 65521;
    }
    (a, b)
}

/// A zlib stream that unpacks to `prefix` followed by zeros, `chunks` MiB in all. Built by
/// repeating the deflate blocks of one MiB of zeros (they only refer back into zeros), so a
/// 4 GiB bomb takes milliseconds to make and about 4 MB to store.
pub(crate) fn zlib_bomb(prefix: &[u8], chunks: usize) -> Vec<u8> {
    assert!(prefix.len() < MIB / 2 && chunks >= 1);
    let mut z = Compress::new(Compression::best(), false);
    let mut deflate = |input: &[u8], flush: FlushCompress| {
        let mut out = Vec::with_capacity(64 * 1024);
        let before = z.total_in();
        loop {
            let done = (z.total_in() - before) as usize;
            z.compress_vec(&input[done..], &mut out, flush).unwrap();
            if (z.total_in() - before) as usize == input.len() && out.len() < out.capacity() {
                return out;
            }
            out.reserve(64 * 1024);
        }
    };
    let mut first = prefix.to_vec();
    first.resize(MIB, 0);
    let head = deflate(&first, FlushCompress::Sync);
    let zeros = deflate(&vec![0u8; MIB], FlushCompress::Sync);
    let tail = deflate(&[], FlushCompress::Finish);
    let (a, b) = adler32_extend(1, 0, &first);
    let rest = ((chunks - 1) * MIB) as u64;
    let b = ((u64::from(b) + u64::from(a) * rest) % 65521) as u32;
    let mut out = vec![0x78, 0xDA];
    out.extend_from_slice(&head);
    for _ in 1..chunks {
        out.extend_from_slice(&zeros);
    }
    out.extend_from_slice(&tail);
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

/// A PDF whose catalog and page tree sit in an object stream that unpacks to `mib` MiB.
fn objstm_pdf(mib: usize) -> Vec<u8> {
    let catalog = b"<< /Type /Catalog /Pages 2 0 R >>\n";
    let pages = b"<< /Type /Pages /Kids [] /Count 3 >>\n";
    let header = format!("1 0 2 {} ", catalog.len());
    let first = header.len();
    let content = [header.as_bytes(), catalog, pages].concat();
    let data = zlib_bomb(&content, mib);
    let mut pdf = b"%PDF-1.5\n".to_vec();
    let off3 = pdf.len();
    pdf.extend_from_slice(
        format!(
            "3 0 obj\n<< /Type /ObjStm /N 2 /First {first} /Filter /FlateDecode /Length {} >>\nstream\n",
            data.len()
        )
        .as_bytes(),
    );
    pdf.extend_from_slice(&data);
    pdf.extend_from_slice(b"\nendstream\nendobj\n");
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!(
            "xref\n0 4\n0000000000 65535 f \n0000000000 65535 f \n0000000000 65535 f \n{off3:010} 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
        )
        .as_bytes(),
    );
    pdf
}

fn nested_pdf(depth: usize, in_trailer: bool) -> Vec<u8> {
    let nest = [b"[".repeat(depth), b"]".repeat(depth)].concat();
    let mut pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n".to_vec();
    pdf.extend_from_slice(b"2 0 obj\n<< /Type /Pages /Count 1 /Kids ");
    if in_trailer {
        pdf.extend_from_slice(b"[]");
    } else {
        pdf.extend_from_slice(&nest);
    }
    pdf.extend_from_slice(b" >>\nendobj\ntrailer\n<< /Root 1 0 R /Size 3 ");
    if in_trailer {
        pdf.extend_from_slice(b"/ID ");
        pdf.extend_from_slice(&nest);
    }
    pdf.extend_from_slice(b" >>\n%%EOF\n");
    pdf
}

/// A PDF with an unreferenced object stream holding 200,000 nested `[` (a few hundred bytes
/// compressed).
fn nested_in_objstm_pdf(depth: usize) -> Vec<u8> {
    let header = b"4 0 ";
    let content = [&header[..], &b"[".repeat(depth), &b"]".repeat(depth)].concat();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), Compression::best());
    z.write_all(&content).unwrap();
    let data = z.finish().unwrap();
    let mut pdf = nested_pdf(1, false);
    let mut obj = format!(
        "3 0 obj\n<< /Type /ObjStm /N 1 /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
        header.len(),
        data.len()
    )
    .into_bytes();
    obj.extend_from_slice(&data);
    obj.extend_from_slice(b"\nendstream\nendobj\n");
    let at = find(&pdf, b"trailer");
    pdf.splice(at..at, obj);
    pdf
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .expect("needle")
}

fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/self/status"))
}

/// Runs only in the child process of [`check_in_child`].
#[test]
fn pdf_bomb_child() {
    let Ok(path) = std::env::var(CHILD_PDF) else {
        return; // not the child
    };
    let before = status_kb("VmHWM:");
    let res = check_files(&[PathBuf::from(path)], &IntakeOptions::default());
    let after = status_kb("VmHWM:");
    let mut out = std::io::stdout().lock();
    writeln!(out, "RESULT {}", serde_json::to_string(&res[0]).unwrap()).unwrap();
    writeln!(out, "VMHWM_BEFORE_KB {before}").unwrap();
    writeln!(out, "VMHWM_KB {after}").unwrap();
}

struct ChildRun {
    result: IntakeResult,
    peak_kb: u64,
    before_kb: u64,
}

/// Checks `bytes` at intake in a fresh process; its result and peak memory.
fn check_in_child(dir: &Path, name: &str, bytes: &[u8]) -> ChildRun {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "pdf_bombs::pdf_bomb_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_PDF, &path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the check of {name} crashed ({}): {stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let field = |key: &str| {
        stdout
            .lines()
            .find_map(|l| l.find(key).map(|i| &l[i + key.len()..]))
            .unwrap_or_else(|| panic!("no {key} in {stdout}"))
            .trim()
            .to_string()
    };
    let run = ChildRun {
        result: serde_json::from_str(&field("RESULT ")).unwrap(),
        peak_kb: field("VMHWM_KB ").parse().unwrap(),
        before_kb: field("VMHWM_BEFORE_KB ").parse().unwrap(),
    };
    eprintln!(
        "{name}: {} bytes, peak RSS of the checking process {} kB (before the check {} kB)",
        bytes.len(),
        run.peak_kb,
        run.before_kb
    );
    run
}

fn assert_refused_small(run: &ChildRun, name: &str, words: &str) {
    match &run.result {
        IntakeResult::Rejected(r) => {
            assert_eq!(r.reason, RejectReason::TooComplex, "{}", r.message);
            assert!(r.message.contains(name), "{}", r.message);
            assert!(r.message.contains(words), "{}", r.message);
        }
        IntakeResult::Accepted(a) => panic!("{name} was accepted: {a:?}"),
    }
    assert!(
        run.peak_kb < PEAK_LIMIT_KB,
        "{name}: the check peaked at {} kB",
        run.peak_kb
    );
}

#[test]
fn the_bomb_generator_makes_what_it_says() {
    // A small one unpacks completely, checksum included: the same blocks make the big one.
    let stream = zlib_bomb(b"hello", 5);
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(&stream[..]), &mut out).unwrap();
    assert_eq!(out.len(), 5 * MIB);
    assert!(out.starts_with(b"hello") && out[5..].iter().all(|&c| c == 0));
    // The whole small PDF is readable, and its page count comes out of the object stream.
    let dir = tempfile::tempdir().unwrap();
    let run = check_in_child(dir.path(), "small-objstm.pdf", &objstm_pdf(2));
    match run.result {
        IntakeResult::Accepted(a) => assert_eq!(a.page_count, Some(3)),
        IntakeResult::Rejected(r) => panic!("{}", r.message),
    }
}

#[test]
fn a_compression_bomb_is_refused_in_little_memory() {
    let dir = tempfile::tempdir().unwrap();
    // 4096 MiB unpacked from about 4 MB.
    let bomb = objstm_pdf(4096);
    assert!(bomb.len() < 8 * MIB, "{}", bomb.len());
    let run = check_in_child(dir.path(), "bomb.pdf", &bomb);
    assert_refused_small(&run, "bomb.pdf", "unpacks to more than");
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("nested-kids.pdf", nested_pdf(200_000, false)),
        ("nested-trailer.pdf", nested_pdf(200_000, true)),
        ("nested-in-objstm.pdf", nested_in_objstm_pdf(200_000)),
    ] {
        let run = check_in_child(dir.path(), name, &bytes);
        assert_refused_small(&run, name, "nested more than");
    }
    // Ordinary nesting is fine.
    let run = check_in_child(dir.path(), "shallow.pdf", &nested_pdf(20, false));
    assert!(
        matches!(&run.result, IntakeResult::Accepted(a) if a.page_count == Some(1)),
        "{:?}",
        run.result
    );
}

#[test]
fn modern_pdfs_keep_their_page_count_and_encryption_is_found_in_xref_streams() {
    let dir = tempfile::tempdir().unwrap();
    let classic = desk_core::intake::sample_pdf(4, "Modern");
    let mut doc = lopdf::Document::load_mem(&classic).unwrap();
    let mut modern = Vec::new();
    doc.save_modern(&mut modern).unwrap();
    assert!(
        String::from_utf8_lossy(&modern).contains("/ObjStm"),
        "the test needs object streams"
    );
    let good = dir.path().join("modern.pdf");
    std::fs::write(&good, &modern).unwrap();

    let enc_id = doc.add_object(lopdf::dictionary! { "Filter" => "Standard", "V" => 1, "R" => 2 });
    doc.trailer.set("Encrypt", enc_id);
    let mut locked = Vec::new();
    doc.save_modern(&mut locked).unwrap();
    let locked_path = dir.path().join("locked.pdf");
    std::fs::write(&locked_path, &locked).unwrap();

    let res = check_files(&[good, locked_path], &IntakeOptions::default());
    assert!(
        matches!(&res[0], IntakeResult::Accepted(a) if a.page_count == Some(4)),
        "{:?}",
        res[0]
    );
    assert!(
        matches!(&res[1], IntakeResult::Rejected(r) if r.reason == RejectReason::Encrypted),
        "{:?}",
        res[1]
    );
}
