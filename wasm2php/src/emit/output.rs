//! The method body being written: statements, and the last `$tN = …;`
//! line, which a `local.set` right after can retarget. Statements are not
//! indented: compiled Rust nests twenty blocks deep and the file is parsed
//! on every cold start, so indentation costs load time (an eighth of the
//! core's bytes at one space a level).

pub(super) struct Output {
    pub body: String,
    /// The last line written, when it is `$tN = …;`, with N and where the
    /// line starts.
    last_assignment: Option<(u32, usize)>,
}

impl Output {
    /// An empty body.
    pub fn new() -> Self {
        Output {
            body: String::new(),
            last_assignment: None,
        }
    }

    /// Writes a statement.
    pub fn line(&mut self, text: &str) {
        let start = self.body.len();
        self.body.push_str(text);
        self.body.push('\n');
        self.last_assignment = None;
        // Only a line that is one statement `$tN = …;` can be retargeted.
        if let Some(rest) = text.strip_prefix("$t").filter(|_| !text.contains("; ")) {
            if let Some((number, _)) = rest.split_once(" = ") {
                if let Ok(temp) = number.parse() {
                    self.last_assignment = Some((temp, start));
                }
            }
        }
    }

    /// The temporary N when the last line is `$tN = …;`.
    pub fn last_assigned_temp(&self) -> Option<u32> {
        self.last_assignment.map(|(temp, _)| temp)
    }

    /// Turns the last line `$tN = EXPR;` into `VAR = EXPR;`.
    pub fn retarget_last(&mut self, var: &str) {
        let (temp, at) = self
            .last_assignment
            .take()
            .expect("the last line assigns a temporary");
        let old = format!("$t{temp}");
        self.body.replace_range(at..at + old.len(), var);
    }

    /// A line that opens a block (`if (…) {`).
    pub fn open(&mut self, text: &str) {
        self.line(text);
    }

    /// A line that closes a block.
    pub fn close(&mut self, text: &str) {
        self.line(text);
    }
}
