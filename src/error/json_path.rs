//! The JSON path of a failed parse, found after the fact from serde_json's error position.
//!
//! The contracts are parsed by one deserializer only (serde_json over the text): each additional
//! deserializer (a path-tracking wrapper such as `serde_path_to_error`, serde_json's `Value`)
//! instantiates every serde impl of the contracts again, which in the wasm build was over a third
//! of the module. So a parse runs untracked, and only when it fails does [`locate`] work out
//! where: it re-reads the text up to the error's byte offset with a small JSON scanner that knows
//! which object member or array element it is in, and names it the way `serde_path_to_error`
//! did (`orders[3].amount`, `?` for an object key that could not be read), which the tests
//! compare on generated bad inputs.
//!
//! One position is ambiguous: serde_json reports an error that a field's own code raised after
//! its value was read (a validating `deserialize_with`, a buffered enum) where the enclosing
//! object or array gives up, which for its last member is just after its closing bracket, the
//! same place as an error of the container itself (`missing field`). That case is settled by
//! parsing once more with a comma inserted before the bracket: a member's own error comes back
//! unchanged just before the comma, while the container's becomes a trailing-comma error.

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
    /// An object key that could not be read (serde_path_to_error's `?`).
    Unknown,
}

fn render(segs: &[Seg]) -> String {
    let mut out = String::new();
    for (i, s) in segs.iter().enumerate() {
        match s {
            Seg::Index(n) => {
                out.push('[');
                out.push_str(&n.to_string());
                out.push(']');
            }
            Seg::Key(k) => {
                if i > 0 {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Unknown => {
                if i > 0 {
                    out.push('.');
                }
                out.push('?');
            }
        }
    }
    out
}

#[derive(Debug, Clone)]
enum Frame {
    /// An object and the key of the member being read (None before a key string is complete).
    Obj { key: Option<String>, members: usize },
    /// An array, the index of the element being read and how many were started.
    Arr { cur: Option<usize>, count: usize },
}

impl Frame {
    fn seg(&self) -> Option<Seg> {
        match self {
            Frame::Obj { key: Some(k), .. } => Some(Seg::Key(k.clone())),
            Frame::Obj { key: None, .. } => None,
            Frame::Arr { cur: Some(i), .. } => Some(Seg::Index(*i)),
            Frame::Arr { cur: None, .. } => None,
        }
    }
    fn is_empty(&self) -> bool {
        match self {
            Frame::Obj { members, .. } => *members == 0,
            Frame::Arr { count, .. } => *count == 0,
        }
    }
}

/// What the scanner expects next.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// A value (the root, or after `:`).
    Value,
    /// After `[`: `]` or the first element.
    ArrFirst,
    /// After an element: `,` or `]`.
    ArrNext,
    /// After `,` in an array: an element.
    ArrAfterComma,
    /// After `{`: `}` or the first key.
    ObjFirst,
    /// After a member: `,` or `}`.
    ObjNext,
    /// After `,` in an object: a key.
    ObjAfterComma,
    /// After a key: `:`.
    Colon,
    /// The root value is complete (what follows is never read).
    Done,
}

/// Where the scan stopped, and how the error there relates to the frames.
#[derive(Debug, PartialEq)]
enum Stop {
    /// In (or just after) the value of the top frame's current member, or at a key that was read.
    Slot,
    /// At the top array itself, between elements (missing comma, trailing comma, end of text).
    Container,
    /// At an object key that could not be read.
    UnknownKey,
    /// The next element of the top array, not yet started.
    NextElement,
    /// Between an object key and its colon.
    Colon,
}

struct Scan {
    frames: Vec<Frame>,
    stop: Stop,
    /// The container closed by the last byte before the stop: its frame and the bracket's offset.
    closed: Option<(Frame, usize)>,
    /// Whether the scan stopped at a malformed token or structure of its own finding.
    grammar_error: bool,
}

impl Scan {
    fn path(&self, with_top: bool) -> Vec<Seg> {
        let n = self.frames.len();
        let mut out = Vec::with_capacity(n + 1);
        for (i, f) in self.frames.iter().enumerate() {
            if i + 1 < n || with_top {
                if let Some(s) = f.seg() {
                    out.push(s);
                }
            }
        }
        out
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// End of a string token starting at `i` (the opening quote): the offset after the closing quote.
fn string_end(t: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < t.len() {
        match t.get(j) {
            Some(b'\\') => j += 2,
            Some(b'"') => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

fn digits(t: &[u8], mut j: usize) -> usize {
    while t.get(j).is_some_and(u8::is_ascii_digit) {
        j += 1;
    }
    j
}

/// End of a scalar (number or literal) starting at `i`, or None when it is malformed.
fn scalar_end(t: &[u8], i: usize) -> Option<usize> {
    for lit in [&b"true"[..], b"false", b"null"] {
        if t.get(i) == lit.first() {
            return t.get(i..i + lit.len()).filter(|s| *s == lit).map(|_| i + lit.len());
        }
    }
    let mut j = i;
    if t.get(j) == Some(&b'-') {
        j += 1;
    }
    match t.get(j) {
        Some(b'0') => {
            j += 1;
            if t.get(j).is_some_and(u8::is_ascii_digit) {
                return None;
            }
        }
        Some(b'1'..=b'9') => j = digits(t, j),
        _ => return None,
    }
    if t.get(j) == Some(&b'.') {
        let k = digits(t, j + 1);
        if k == j + 1 {
            return None;
        }
        j = k;
    }
    if matches!(t.get(j), Some(b'e' | b'E')) {
        j += 1;
        if matches!(t.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let k = digits(t, j);
        if k == j {
            return None;
        }
        j = k;
    }
    Some(j)
}

fn decode_key(raw: &str) -> String {
    let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default();
    if !inner.contains('\\') {
        return inner.to_string();
    }
    serde_json::from_str::<String>(raw).unwrap_or_else(|_| inner.to_string())
}

/// Reads `text` up to byte `limit` (or its first structural error) and reports where it stopped.
fn scan(text: &str, limit: usize) -> Scan {
    let t = text.as_bytes();
    let limit = limit.min(t.len());
    let mut frames: Vec<Frame> = Vec::new();
    let mut expect = Expect::Value;
    let mut closed: Option<(Frame, usize)> = None;
    let mut i = 0;
    let stop =
        |frames: Vec<Frame>, stop: Stop, closed: Option<(Frame, usize)>, grammar_error: bool| Scan { frames, stop, closed, grammar_error };
    // After a complete value: what the enclosing frame expects next.
    fn after_value(frames: &[Frame]) -> Expect {
        match frames.last() {
            None => Expect::Done,
            Some(Frame::Obj { .. }) => Expect::ObjNext,
            Some(Frame::Arr { .. }) => Expect::ArrNext,
        }
    }
    loop {
        // skip whitespace between tokens
        while i < limit && t.get(i).copied().is_some_and(is_ws) {
            i += 1;
        }
        if i >= limit {
            // stopped by the error offset (or the end of the text)
            let at_end = i >= t.len();
            let s = match expect {
                Expect::Value => Stop::Slot,
                Expect::Colon => Stop::Colon,
                Expect::ArrFirst | Expect::ArrAfterComma => {
                    if at_end {
                        Stop::Container
                    } else {
                        Stop::NextElement
                    }
                }
                Expect::ArrNext => {
                    if at_end {
                        Stop::Container
                    } else {
                        Stop::Slot
                    }
                }
                Expect::ObjFirst | Expect::ObjAfterComma => Stop::UnknownKey,
                Expect::ObjNext => {
                    if at_end {
                        Stop::UnknownKey
                    } else {
                        Stop::Slot
                    }
                }
                Expect::Done => Stop::Slot,
            };
            let closed = closed.filter(|(_, at)| at + 1 == i);
            return stop(frames, s, closed, at_end && expect != Expect::Done);
        }
        let b = t.get(i).copied().unwrap_or(0);
        match expect {
            Expect::Done => return stop(frames, Stop::Slot, closed.filter(|(_, at)| at + 1 == i), false),
            Expect::Colon => {
                if b != b':' {
                    return stop(frames, Stop::Colon, None, true);
                }
                i += 1;
                expect = Expect::Value;
                continue;
            }
            Expect::ObjFirst | Expect::ObjAfterComma | Expect::ObjNext => {
                if expect == Expect::ObjNext {
                    match b {
                        b',' => {
                            if let Some(Frame::Obj { key, .. }) = frames.last_mut() {
                                *key = None;
                            }
                            i += 1;
                            expect = Expect::ObjAfterComma;
                            continue;
                        }
                        b'}' => {}
                        _ => return stop(frames, Stop::UnknownKey, None, true),
                    }
                }
                if b == b'}' && expect != Expect::ObjAfterComma {
                    let f = frames.pop();
                    closed = f.map(|f| (f, i));
                    i += 1;
                    expect = after_value(&frames);
                    continue;
                }
                if b != b'"' {
                    return stop(frames, Stop::UnknownKey, None, true);
                }
                let Some(end) = string_end(t, i).filter(|e| *e <= limit) else {
                    return stop(frames, Stop::UnknownKey, None, string_end(t, i).is_none());
                };
                let k = decode_key(text.get(i..end).unwrap_or_default());
                if let Some(Frame::Obj { key, members }) = frames.last_mut() {
                    *key = Some(k);
                    *members += 1;
                }
                i = end;
                expect = Expect::Colon;
                continue;
            }
            Expect::ArrNext => {
                match b {
                    b',' => {
                        i += 1;
                        expect = Expect::ArrAfterComma;
                    }
                    b']' => {
                        let f = frames.pop();
                        closed = f.map(|f| (f, i));
                        i += 1;
                        expect = after_value(&frames);
                    }
                    _ => return stop(frames, Stop::Container, None, true),
                }
                continue;
            }
            Expect::ArrFirst | Expect::ArrAfterComma => {
                if b == b']' {
                    if expect == Expect::ArrAfterComma {
                        return stop(frames, Stop::Container, None, true);
                    }
                    let f = frames.pop();
                    closed = f.map(|f| (f, i));
                    i += 1;
                    expect = after_value(&frames);
                    continue;
                }
                if let Some(Frame::Arr { cur, count }) = frames.last_mut() {
                    *cur = Some(*count);
                    *count += 1;
                }
                // fall through to read the element
            }
            Expect::Value => {}
        }
        // a value starts at i
        match b {
            b'{' => {
                frames.push(Frame::Obj { key: None, members: 0 });
                i += 1;
                expect = Expect::ObjFirst;
            }
            b'[' => {
                frames.push(Frame::Arr { cur: None, count: 0 });
                i += 1;
                expect = Expect::ArrFirst;
            }
            b'"' => match string_end(t, i) {
                Some(end) if end <= limit => {
                    i = end;
                    expect = after_value(&frames);
                }
                Some(_) => return stop(frames, Stop::Slot, None, false),
                None => return stop(frames, Stop::Slot, None, true),
            },
            _ => match scalar_end(t, i) {
                Some(end) if end <= limit => {
                    i = end;
                    expect = after_value(&frames);
                }
                Some(_) => return stop(frames, Stop::Slot, None, false),
                None => return stop(frames, Stop::Slot, None, true),
            },
        }
    }
}

/// Byte offset of serde_json's (line, column) position in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    let mut l = 1;
    if line > 1 {
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                l += 1;
                if l == line {
                    start = i + 1;
                    break;
                }
            }
        }
    }
    (start + column).min(text.len())
}

/// serde_json's message without its " at line X column Y" suffix.
fn bare_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) if e.line() > 0 => s.get(..i).unwrap_or_default().to_string(),
        _ => s,
    }
}

/// The JSON path (as `serde_path_to_error` printed it, "" for the root) of the error `err` that
/// parsing `text` gave. `reparse` parses a text the same way and returns its error, if any.
pub(super) fn locate(text: &str, err: &serde_json::Error, reparse: &dyn Fn(&str) -> Option<serde_json::Error>) -> String {
    let offset = offset_of(text, err.line(), err.column());
    let s = scan(text, offset);
    if s.grammar_error || !err.is_data() {
        // serde_json's own errors: in a value, its path; between an array's elements, the array;
        // at an object key (or its colon), the object, plus `?` when the key was not read.
        return match s.stop {
            Stop::Slot | Stop::NextElement => render(&s.path(true)),
            Stop::Container | Stop::Colon => render(&s.path(false)),
            Stop::UnknownKey => {
                let mut p = s.path(false);
                p.push(Seg::Unknown);
                render(&p)
            }
        };
    }
    let same_error_at = |probe: &str, at: usize| {
        reparse(probe).is_some_and(|e2| offset_of(probe, e2.line(), e2.column()) == at && bare_message(&e2) == bare_message(err))
    };
    match s.stop {
        // Just inside a `{` nothing of which was read: a value that accepts no object refused it
        // after serde_json had consumed the brace (a hand-written visitor such as
        // `Operand`'s); the path is the object itself, as for a derived type refusing it.
        Stop::UnknownKey if bare_message(err).starts_with("invalid type: map") && matches!(s.frames.last(), Some(Frame::Obj { key: None, members: 0 })) => {
            return render(&s.path(false));
        }
        Stop::UnknownKey => {
            let mut p = s.path(false);
            p.push(Seg::Unknown);
            return render(&p);
        }
        Stop::NextElement => {
            // At the start of an element: its own wrong type (`{` or `[` where a scalar belongs,
            // not consumed), or the previous element's error, reported after serde_json ate the
            // comma. The previous element's error does not depend on what follows.
            let mut p = s.path(false);
            if let Some(Frame::Arr { count: 0, .. }) = s.frames.last() {
                // Just inside a `[`: a value that accepts no list refusing it after serde_json
                // consumed the bracket (a hand-written visitor such as `FeatureValue`'s) does so
                // whatever the list holds; the first element's own error moves with the element.
                let probe = [text.get(..offset).unwrap_or_default(), "0,", text.get(offset..).unwrap_or_default()].concat();
                if bare_message(err).starts_with("invalid type: sequence") && same_error_at(&probe, offset) {
                    return render(&p);
                }
            }
            if let Some(Frame::Arr { count, .. }) = s.frames.last() {
                let probe = [text.get(..offset).unwrap_or_default(), "0", text.get(offset..).unwrap_or_default()].concat();
                let previous = *count > 0 && same_error_at(&probe, offset);
                p.push(Seg::Index(if previous { count - 1 } else { *count }));
            }
            return render(&p);
        }
        Stop::Container => return render(&s.path(false)),
        Stop::Colon => {
            // Just after a key: an unknown field (the key is part of the path), or an enum
            // written as `{"variant": ...}` with an unknown variant (the path stops at the enum).
            let with_key = !bare_message(err).starts_with("unknown variant");
            return render(&s.path(with_key));
        }
        Stop::Slot => {}
    }
    let mut path = s.path(true);
    // Just after a closing bracket: the container's own error, or its last member's?
    if let Some((frame, at)) = &s.closed {
        if frame.is_empty() || bare_message(err).starts_with("missing field") {
            return render(&path);
        }
        let probe = [text.get(..*at).unwrap_or_default(), ",", text.get(*at..).unwrap_or_default()].concat();
        // serde_json reports it before the comma in an object, after it (eaten) in an array
        let expected_at = if matches!(frame, Frame::Arr { .. }) { at + 1 } else { *at };
        let member_error = same_error_at(&probe, expected_at);
        if member_error {
            if let Some(seg) = frame.seg() {
                path.push(seg);
            }
        }
    }
    render(&path)
}
