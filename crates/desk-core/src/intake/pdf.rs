//! What intake needs to know about a PDF — is it encrypted, how many pages does it say it has —
//! read from untrusted bytes with bounded work and bounded memory.
//!
//! # Why not a PDF library, and why not a child process
//!
//! A full parser (lopdf, which intake used before) loads every object of the file: it unpacks
//! every object stream with no limit on the output, so a few KB of deflate that expand to
//! gigabytes exhaust memory, and it parses nested arrays and dictionaries recursively, so
//! 200,000 `[` overflow the stack and abort the whole app. Running that parser in a child
//! process with a memory cap would contain the damage, but it needs a second entry point in the
//! app binary, a process per dropped file and platform-specific limits (no `RLIMIT_AS` on
//! Windows, where most users are).
//!
//! Intake needs two facts, and both can be had without trusting the file:
//!
//! - **Encryption** is declared by `/Encrypt` in the trailer, or in the dictionary of a
//!   cross-reference stream. Neither is ever inside a compressed stream, so it is read from the
//!   raw bytes.
//! - **Pages**: the trailer's `/Root` names the catalog, whose `/Pages` names the page tree's
//!   root, whose `/Count` is the number of pages. Objects are found by scanning the raw bytes for
//!   `N G obj` (which also works for files with a damaged cross-reference table), or in the
//!   object streams.
//!
//! Every top-level object and every object in an object stream is read once — what a PDF
//! reader would parse, nothing escapes the limits. Object streams are unpacked through a
//! decoder that stops at [`INFLATE_BUDGET`] bytes for the whole file (legitimate ones hold a
//! few hundred KB of object syntax); no other stream is unpacked.
//!
//! Every object is read by a non-recursive tokenizer with an explicit stack that refuses
//! nesting deeper than [`MAX_DEPTH`], more than [`MAX_VALUES`] values in one object, and more than
//! [`TOKEN_BUDGET`] tokens for the whole file. A file that hits a limit is refused as
//! [`Refusal`]; none of them is anywhere near what a real document needs. Stream contents
//! (pages, images, fonts) are never looked at: uploading them is Penneo's business.

use std::io::Read;

/// Deepest nesting of arrays and dictionaries accepted (real documents stay under 10).
pub const MAX_DEPTH: usize = 100;
/// Most values (numbers, names, references, …) in one object.
pub const MAX_VALUES: usize = 1_000_000;
/// Most tokens read from the whole file.
pub const TOKEN_BUDGET: usize = 20_000_000;
/// Most pages a page tree may claim: a document of more pages than this is not sent for signing
/// (and a tree that claims millions is built to make a reader allocate for them).
pub const MAX_PAGES: i64 = 10_000;
/// Most bytes unpacked from object streams for the whole file.
pub const INFLATE_BUDGET: usize = 32 * 1024 * 1024;
/// Longest name kept (PDF's own implementation limit is 127 bytes).
const MAX_NAME: usize = 127;

/// Why a file is refused: it hits a limit no ordinary document comes near.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("its structure is nested more than {MAX_DEPTH} levels deep")]
    TooDeep,
    #[error("one of its objects holds more than {MAX_VALUES} values")]
    TooManyValues,
    #[error("its structure has more than {TOKEN_BUDGET} parts")]
    TooManyTokens,
    #[error("its compressed structure unpacks to more than {} MB", INFLATE_BUDGET / (1024 * 1024))]
    Bomb,
    /// The page tree's `/Count` is negative or above [`MAX_PAGES`].
    #[error("its page tree claims {0} pages")]
    ImpossiblePageCount(i64),
}

/// What intake learns from a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfFacts {
    pub encrypted: bool,
    /// The page tree's `/Count`, when the page tree could be found and says at least one.
    pub pages: Option<u32>,
}

/// Reads the facts, or refuses the file. Bounded: see the module docs.
pub fn inspect(bytes: &[u8]) -> Result<PdfFacts, Refusal> {
    let mut s = Scanner {
        bytes,
        tokens_left: TOKEN_BUDGET,
        inflate_left: INFLATE_BUDGET,
        objstms: None,
    };
    let mut trailers_found = false;
    let mut encrypted = false;
    let mut root = None;
    // Classic trailers, in file order (the last one is the newest revision).
    for at in keyword_positions(bytes, b"trailer") {
        if let Some(Obj::Dict(d)) = s.parse_at(bytes, at + b"trailer".len())? {
            trailers_found = true;
            encrypted |= dict_get(&d, b"Encrypt").is_some();
            if let Some(r) = dict_get(&d, b"Root").and_then(Obj::as_reference) {
                root = Some(r);
            }
        }
    }
    // Cross-reference streams carry the trailer's keys in their dictionary.
    for (_, at) in object_headers(bytes) {
        if let Some(Obj::Dict(d)) = s.parse_at(bytes, at)? {
            if dict_get(&d, b"Type").and_then(Obj::as_name) == Some(b"XRef") {
                trailers_found = true;
                encrypted |= dict_get(&d, b"Encrypt").is_some();
                if let Some(r) = dict_get(&d, b"Root").and_then(Obj::as_reference) {
                    root = Some(r);
                }
            }
        }
    }
    if !trailers_found {
        // No trailer could be read (a truncated file): fall back to the bytes.
        encrypted = scan_for_encrypt(bytes);
    }
    if !encrypted {
        // Compressed objects are read too (within the limits): a PDF reader would.
        s.load_object_streams()?;
    }
    let pages = match root {
        Some(root) if !encrypted => s.page_count(root)?,
        _ => None,
    };
    Ok(PdfFacts { encrypted, pages })
}

/// Does `/Encrypt` (followed by a delimiter) occur anywhere in the bytes?
pub fn scan_for_encrypt(bytes: &[u8]) -> bool {
    let needle = b"/Encrypt";
    find_all(bytes, needle).any(|i| {
        bytes
            .get(i + needle.len())
            .is_some_and(|c| c.is_ascii_whitespace() || c.is_ascii_digit() || *c == b'<')
    })
}

/// A parsed value. Strings are not kept (intake never needs their content).
#[derive(Debug, Clone, PartialEq)]
enum Obj {
    Null,
    Bool,
    Int(i64),
    Real,
    Name(Box<[u8]>),
    Str,
    Array(Vec<Obj>),
    Dict(Vec<(Box<[u8]>, Obj)>),
    Ref(u32),
    /// A keyword where a value was expected (`stream`, `endobj`, …): the value ended before it.
    Keyword,
}

impl Obj {
    fn as_reference(&self) -> Option<u32> {
        match self {
            Obj::Ref(n) => Some(*n),
            _ => None,
        }
    }
    fn as_name(&self) -> Option<&[u8]> {
        match self {
            Obj::Name(n) => Some(n),
            _ => None,
        }
    }
    fn as_int(&self) -> Option<i64> {
        match self {
            Obj::Int(i) => Some(*i),
            _ => None,
        }
    }
}

fn dict_get<'a>(d: &'a [(Box<[u8]>, Obj)], key: &[u8]) -> Option<&'a Obj> {
    d.iter().rev().find(|(k, _)| &**k == key).map(|(_, v)| v)
}

fn is_ws(c: u8) -> bool {
    matches!(c, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delim(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular(c: u8) -> bool {
    !is_ws(c) && !is_delim(c)
}

fn find_all<'a>(hay: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    let first = needle[0];
    let mut from = 0;
    std::iter::from_fn(move || {
        while from + needle.len() <= hay.len() {
            let i = from + hay[from..].iter().position(|&c| c == first)?;
            from = i + 1;
            if hay[i..].starts_with(needle) {
                return Some(i);
            }
        }
        None
    })
}

/// Where `kw` stands as a whole keyword.
fn keyword_positions<'a>(hay: &'a [u8], kw: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    find_all(hay, kw).filter(move |&i| {
        (i == 0 || !is_regular(hay[i - 1])) && hay.get(i + kw.len()).is_none_or(|&c| !is_regular(c))
    })
}

/// Every `N G obj` in the bytes: (object number, offset just after `obj`).
fn object_headers(hay: &[u8]) -> impl Iterator<Item = (u32, usize)> + '_ {
    keyword_positions(hay, b"obj").filter_map(move |i| {
        let mut j = i;
        let skip_ws = |j: &mut usize| {
            let start = *j;
            while *j > 0 && is_ws(hay[*j - 1]) {
                *j -= 1;
            }
            *j < start
        };
        let digits = |j: &mut usize| {
            let end = *j;
            while *j > 0 && hay[*j - 1].is_ascii_digit() && end - *j < 10 {
                *j -= 1;
            }
            (*j < end).then(|| &hay[*j..end])
        };
        if !skip_ws(&mut j) {
            return None;
        }
        digits(&mut j)?;
        if !skip_ws(&mut j) {
            return None;
        }
        let num = digits(&mut j)?;
        if j > 0 && is_regular(hay[j - 1]) {
            return None;
        }
        let num: u32 = std::str::from_utf8(num).ok()?.parse().ok()?;
        Some((num, i + 3))
    })
}

enum Tok {
    Int(i64),
    Real,
    Name(Box<[u8]>),
    Str,
    ArrOpen,
    ArrClose,
    DictOpen,
    DictClose,
    Kw(Box<[u8]>),
}

struct Lexer<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Lexer<'_> {
    fn token(&mut self) -> Option<Tok> {
        let b = self.b;
        loop {
            while self.pos < b.len() && is_ws(b[self.pos]) {
                self.pos += 1;
            }
            if b.get(self.pos) == Some(&b'%') {
                while self.pos < b.len() && !matches!(b[self.pos], b'\r' | b'\n') {
                    self.pos += 1;
                }
                continue;
            }
            break;
        }
        let c = *b.get(self.pos)?;
        self.pos += 1;
        Some(match c {
            b'[' => Tok::ArrOpen,
            b']' => Tok::ArrClose,
            b'<' if b.get(self.pos) == Some(&b'<') => {
                self.pos += 1;
                Tok::DictOpen
            }
            b'>' if b.get(self.pos) == Some(&b'>') => {
                self.pos += 1;
                Tok::DictClose
            }
            b'<' => {
                while self.pos < b.len() && b[self.pos] != b'>' {
                    self.pos += 1;
                }
                self.pos = (self.pos + 1).min(b.len());
                Tok::Str
            }
            b'(' => {
                // Balanced parentheses are a counter, not recursion.
                let mut open = 1usize;
                while self.pos < b.len() && open > 0 {
                    match b[self.pos] {
                        b'\\' => self.pos += 1,
                        b'(' => open += 1,
                        b')' => open -= 1,
                        _ => {}
                    }
                    self.pos += 1;
                }
                self.pos = self.pos.min(b.len());
                Tok::Str
            }
            b'/' => {
                let mut name = Vec::new();
                while self.pos < b.len() && is_regular(b[self.pos]) {
                    let mut ch = b[self.pos];
                    self.pos += 1;
                    if ch == b'#' {
                        let hex = b.get(self.pos..self.pos + 2).and_then(|h| {
                            std::str::from_utf8(h)
                                .ok()
                                .and_then(|h| u8::from_str_radix(h, 16).ok())
                        });
                        if let Some(v) = hex {
                            ch = v;
                            self.pos += 2;
                        }
                    }
                    if name.len() < MAX_NAME {
                        name.push(ch);
                    }
                }
                Tok::Name(name.into_boxed_slice())
            }
            _ => {
                let start = self.pos - 1;
                if !is_regular(c) {
                    // A stray `)`, `>`, `{` or `}`.
                    return Some(Tok::Kw(Box::new([c])));
                }
                while self.pos < b.len() && is_regular(b[self.pos]) {
                    self.pos += 1;
                }
                let word = &b[start..self.pos];
                if word.iter().all(u8::is_ascii_digit)
                    || (word.len() > 1
                        && matches!(word[0], b'+' | b'-')
                        && word[1..].iter().all(u8::is_ascii_digit))
                {
                    match std::str::from_utf8(word).ok().and_then(|w| w.parse().ok()) {
                        Some(i) => Tok::Int(i),
                        None => Tok::Real,
                    }
                } else if word
                    .iter()
                    .all(|c| c.is_ascii_digit() || matches!(c, b'+' | b'-' | b'.'))
                {
                    Tok::Real
                } else {
                    let keep = word.len().min(16);
                    Tok::Kw(word[..keep].into())
                }
            }
        })
    }
}

enum Frame {
    Array(Vec<Obj>),
    Dict(Vec<Obj>),
}

struct Scanner<'a> {
    bytes: &'a [u8],
    tokens_left: usize,
    inflate_left: usize,
    /// The object streams, unpacked on first need.
    objstms: Option<Vec<ObjStm>>,
}

struct ObjStm {
    data: Vec<u8>,
    /// (object number, offset of its value in `data`).
    index: Vec<(u32, usize)>,
}

impl Scanner<'_> {
    /// One value starting at `at` in `src`; `None` when there is none (end of input, or a
    /// keyword such as `endobj` first).
    fn parse_at(&mut self, src: &[u8], at: usize) -> Result<Option<Obj>, Refusal> {
        let mut lx = Lexer { b: src, pos: at };
        let mut stack: Vec<Frame> = Vec::new();
        let mut values = 0usize;
        loop {
            let Some(tok) = lx.token() else {
                return Ok(None);
            };
            self.tokens_left = self
                .tokens_left
                .checked_sub(1)
                .ok_or(Refusal::TooManyTokens)?;
            values += 1;
            if values > MAX_VALUES {
                return Err(Refusal::TooManyValues);
            }
            let done = match tok {
                Tok::ArrOpen | Tok::DictOpen => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(Refusal::TooDeep);
                    }
                    stack.push(match tok {
                        Tok::ArrOpen => Frame::Array(Vec::new()),
                        _ => Frame::Dict(Vec::new()),
                    });
                    continue;
                }
                Tok::ArrClose => match stack.pop() {
                    Some(Frame::Array(v)) => Obj::Array(v),
                    // Mismatched: not a value.
                    _ => return Ok(None),
                },
                Tok::DictClose => match stack.pop() {
                    Some(Frame::Dict(v)) => {
                        let mut d = Vec::with_capacity(v.len() / 2);
                        let mut it = v.into_iter();
                        while let (Some(k), Some(val)) = (it.next(), it.next()) {
                            if let Obj::Name(k) = k {
                                d.push((k, val));
                            }
                        }
                        Obj::Dict(d)
                    }
                    _ => return Ok(None),
                },
                Tok::Int(i) => Obj::Int(i),
                Tok::Real => Obj::Real,
                Tok::Name(n) => Obj::Name(n),
                Tok::Str => Obj::Str,
                Tok::Kw(k) => match &*k {
                    b"true" | b"false" => Obj::Bool,
                    b"null" => Obj::Null,
                    b"R" => {
                        // `N G R`: the two integers before it become a reference.
                        let items = match stack.last_mut() {
                            Some(Frame::Array(v) | Frame::Dict(v)) => v,
                            None => return Ok(None),
                        };
                        let n = items.len();
                        match (n >= 2).then(|| (&items[n - 2], &items[n - 1])) {
                            Some((Obj::Int(num), Obj::Int(_))) => {
                                let r = u32::try_from(*num).map(Obj::Ref).unwrap_or(Obj::Null);
                                items.truncate(n - 2);
                                items.push(r);
                            }
                            _ => items.push(Obj::Null),
                        }
                        continue;
                    }
                    _ => Obj::Keyword,
                },
            };
            match stack.last_mut() {
                Some(Frame::Array(v) | Frame::Dict(v)) => {
                    if done == Obj::Keyword {
                        // `endobj` or `stream` inside an open container: the file is cut.
                        return Ok(None);
                    }
                    v.push(done)
                }
                None => {
                    return Ok(match done {
                        Obj::Keyword => None,
                        v => Some(v),
                    })
                }
            }
        }
    }

    /// The newest top-level definition of object `num`, else its definition in an object
    /// stream.
    fn object(&mut self, num: u32) -> Result<Option<Obj>, Refusal> {
        let bytes = self.bytes;
        let last = object_headers(bytes).filter(|(n, _)| *n == num).last();
        if let Some((_, at)) = last {
            return self.parse_at(bytes, at);
        }
        self.object_in_streams(num)
    }

    fn object_in_streams(&mut self, num: u32) -> Result<Option<Obj>, Refusal> {
        self.load_object_streams()?;
        let streams = self.objstms.take().unwrap_or_default();
        let found = streams.iter().rev().find_map(|st| {
            st.index
                .iter()
                .rev()
                .find(|(n, _)| *n == num)
                .map(|(_, at)| (st, *at))
        });
        let res = match found {
            Some((st, at)) => self.parse_at(&st.data, at),
            None => Ok(None),
        };
        self.objstms = Some(streams);
        res
    }

    /// Unpacks every object stream (within [`INFLATE_BUDGET`]) and reads every object in
    /// them once (within the other limits), so that nothing in the file that a PDF reader
    /// would parse escapes the limits.
    fn load_object_streams(&mut self) -> Result<(), Refusal> {
        if self.objstms.is_some() {
            return Ok(());
        }
        let bytes = self.bytes;
        let mut found = Vec::new();
        let candidates: Vec<usize> = object_headers(bytes)
            .filter(|(_, at)| {
                find_all(&bytes[*at..bytes.len().min(at + 1024)], b"/ObjStm")
                    .next()
                    .is_some()
            })
            .map(|(_, at)| at)
            .collect();
        for at in candidates {
            let Some(Obj::Dict(d)) = self.parse_at(bytes, at)? else {
                continue;
            };
            if dict_get(&d, b"Type").and_then(Obj::as_name) != Some(b"ObjStm") {
                continue;
            }
            let Some(data) = self.stream_data(&d, at)? else {
                continue;
            };
            let count = dict_get(&d, b"N").and_then(Obj::as_int).unwrap_or(0);
            let first = dict_get(&d, b"First").and_then(Obj::as_int).unwrap_or(0);
            let (Ok(count), Ok(first)) = (usize::try_from(count), usize::try_from(first)) else {
                continue;
            };
            // The header: `count` pairs of (object number, offset from `first`).
            let mut lx = Lexer { b: &data, pos: 0 };
            let mut index = Vec::new();
            for _ in 0..count.min(MAX_VALUES) {
                self.tokens_left = self
                    .tokens_left
                    .checked_sub(2)
                    .ok_or(Refusal::TooManyTokens)?;
                match (lx.token(), lx.token()) {
                    (Some(Tok::Int(n)), Some(Tok::Int(off))) => {
                        let at = usize::try_from(off).ok().and_then(|o| o.checked_add(first));
                        if let (Ok(n), Some(at)) = (u32::try_from(n), at) {
                            if at < data.len() {
                                index.push((n, at));
                            }
                        }
                    }
                    _ => break,
                }
                if lx.pos >= first {
                    break;
                }
            }
            for &(_, at) in &index {
                self.parse_at(&data, at)?;
            }
            found.push(ObjStm { data, index });
        }
        self.objstms = Some(found);
        Ok(())
    }

    /// The unpacked data of the stream whose dictionary starts at `at`; `None` when it cannot
    /// be read (a filter other than Flate, predictors, damaged data).
    fn stream_data(
        &mut self,
        d: &[(Box<[u8]>, Obj)],
        at: usize,
    ) -> Result<Option<Vec<u8>>, Refusal> {
        let bytes = self.bytes;
        let Some(kw) = keyword_positions(&bytes[at..], b"stream").next() else {
            return Ok(None);
        };
        let mut start = at + kw + b"stream".len();
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        let len = dict_get(d, b"Length")
            .and_then(Obj::as_int)
            .and_then(|l| usize::try_from(l).ok())
            .filter(|l| start.checked_add(*l).is_some_and(|e| e <= bytes.len()));
        let end = match len {
            Some(l) => start + l,
            None => match find_all(&bytes[start..], b"endstream").next() {
                Some(e) => start + e,
                None => bytes.len(),
            },
        };
        let raw = &bytes[start..end];
        let filter = match dict_get(d, b"Filter") {
            None => None,
            Some(Obj::Name(n)) => Some(&**n),
            Some(Obj::Array(a)) if a.len() == 1 => a[0].as_name(),
            Some(_) => return Ok(None),
        };
        if dict_get(d, b"DecodeParms").is_some() {
            return Ok(None);
        }
        match filter {
            None => {
                self.inflate_left = self
                    .inflate_left
                    .checked_sub(raw.len())
                    .ok_or(Refusal::Bomb)?;
                Ok(Some(raw.to_vec()))
            }
            Some(b"FlateDecode") => {
                let cap = self.inflate_left;
                let mut out = Vec::new();
                let read = flate2::read::ZlibDecoder::new(raw)
                    .take(cap as u64 + 1)
                    .read_to_end(&mut out);
                if out.len() > cap {
                    return Err(Refusal::Bomb);
                }
                self.inflate_left -= out.len();
                // Damaged data: whatever came out before the damage is still usable.
                Ok((read.is_ok() || !out.is_empty()).then_some(out))
            }
            Some(_) => Ok(None),
        }
    }

    /// Catalog → `/Pages` → `/Count`.
    fn page_count(&mut self, root: u32) -> Result<Option<u32>, Refusal> {
        let Some(Obj::Dict(catalog)) = self.object(root)? else {
            return Ok(None);
        };
        let Some(pages) = dict_get(&catalog, b"Pages").and_then(Obj::as_reference) else {
            return Ok(None);
        };
        let Some(Obj::Dict(tree)) = self.object(pages)? else {
            return Ok(None);
        };
        match dict_get(&tree, b"Count").and_then(Obj::as_int) {
            Some(n) if !(0..=MAX_PAGES).contains(&n) => Err(Refusal::ImpossiblePageCount(n)),
            Some(n) => Ok(u32::try_from(n).ok().filter(|n| *n > 0)),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_references_names_and_nesting() {
        let mut s = Scanner {
            bytes: b"",
            tokens_left: TOKEN_BUDGET,
            inflate_left: INFLATE_BUDGET,
            objstms: None,
        };
        let src = b"<< /Type /Ca#74alog /Pages 12 0 R /Kids [1 0 R [2 (a(b)c) <00ff>] 3.5] /Count -2 >> endobj";
        let Some(Obj::Dict(d)) = s.parse_at(src, 0).unwrap() else {
            panic!("not a dict")
        };
        assert_eq!(
            dict_get(&d, b"Type").and_then(Obj::as_name),
            Some(&b"Catalog"[..])
        );
        assert_eq!(dict_get(&d, b"Pages").and_then(Obj::as_reference), Some(12));
        assert_eq!(dict_get(&d, b"Count").and_then(Obj::as_int), Some(-2));
        assert_eq!(
            dict_get(&d, b"Kids"),
            Some(&Obj::Array(vec![
                Obj::Ref(1),
                Obj::Array(vec![Obj::Int(2), Obj::Str, Obj::Str]),
                Obj::Real
            ]))
        );
        let deep = [b"[".repeat(MAX_DEPTH), b"]".repeat(MAX_DEPTH)].concat();
        assert!(s.parse_at(&deep, 0).unwrap().is_some());
        let deeper = b"[".repeat(MAX_DEPTH + 1);
        assert_eq!(s.parse_at(&deeper, 0), Err(Refusal::TooDeep));
        // A cut-off object is no value, and no error.
        assert_eq!(s.parse_at(b"<< /A [1 2 endobj", 0), Ok(None));
    }

    #[test]
    fn finds_object_headers() {
        let src = b"%PDF-1.4\n1 0 obj<<>>endobj\n 22 5 obj\nx10 0 obj 3 0 objx";
        let found: Vec<_> = object_headers(src).map(|(n, _)| n).collect();
        assert_eq!(found, vec![1, 22]);
    }

    #[test]
    fn encrypt_scan_needs_a_key() {
        assert!(scan_for_encrypt(b"trailer << /Encrypt 5 0 R >>"));
        assert!(!scan_for_encrypt(b"/EncryptMetadata false"));
    }
}
