//! The small expression language of `if:` conditions and `${{ ... }}` in `with:` values.
//!
//! ```text
//! expr    := and ('||' and)*
//! and     := unary ('&&' unary)*
//! unary   := '!' unary | compare
//! compare := primary (('==' | '!=') primary)?
//! primary := 'string' | "string" | integer | true | false | path | '(' expr ')'
//! path    := params.NAME | steps.ID.outcome | steps.ID.outputs.NAME | tenant | run_id
//! ```
//!
//! Values are strings, integers, booleans or lists. `==` compares values of one type, and
//! the text forms of values of different types. Truthiness: false, 0, "" and [] are false.

use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<String>),
}

impl Val {
    pub fn truthy(&self) -> bool {
        match self {
            Val::Str(s) => !s.is_empty(),
            Val::Int(i) => *i != 0,
            Val::Bool(b) => *b,
            Val::List(l) => !l.is_empty(),
        }
    }

    /// The text a shell step sees in its environment (lists: one item per line).
    pub fn to_env(&self) -> String {
        match self {
            Val::Str(s) => s.clone(),
            Val::Int(i) => i.to_string(),
            Val::Bool(b) => b.to_string(),
            Val::List(l) => l.join("\n"),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Val::Str(s) => s.clone().into(),
            Val::Int(i) => (*i).into(),
            Val::Bool(b) => (*b).into(),
            Val::List(l) => l.clone().into(),
        }
    }
}

impl fmt::Display for Val {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Val::List(l) => f.write_str(&l.join(",")),
            other => f.write_str(&other.to_env()),
        }
    }
}

/// Something an expression refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Path {
    Param(String),
    Outcome(String),
    Output(String, String),
    Tenant,
    RunId,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Lit(Val),
    Path(Path),
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Eq(Box<Expr>, Box<Expr>),
    Ne(Box<Expr>, Box<Expr>),
}

/// What paths resolve to at run time.
pub trait Scope {
    fn param(&self, name: &str) -> Option<Val>;
    /// `success`, `failure`, `skipped` (or `pending` if not finished).
    fn outcome(&self, step: &str) -> Option<String>;
    fn output(&self, step: &str, name: &str) -> Option<String>;
    fn tenant(&self) -> Option<String>;
    fn run_id(&self) -> String;
}

impl Expr {
    pub fn parse(text: &str) -> Result<Expr, String> {
        let tokens = tokenize(text)?;
        let mut p = Parser { tokens, pos: 0 };
        let e = p.or()?;
        match p.tokens.get(p.pos) {
            None => Ok(e),
            Some(t) => Err(format!("unexpected `{t}` after a complete expression")),
        }
    }

    /// Every path in the expression, for validation.
    pub fn paths(&self, out: &mut Vec<Path>) {
        match self {
            Expr::Lit(_) => {}
            Expr::Path(p) => out.push(p.clone()),
            Expr::Not(e) => e.paths(out),
            Expr::And(a, b) | Expr::Or(a, b) | Expr::Eq(a, b) | Expr::Ne(a, b) => {
                a.paths(out);
                b.paths(out);
            }
        }
    }

    pub fn eval(&self, scope: &dyn Scope) -> Val {
        match self {
            Expr::Lit(v) => v.clone(),
            Expr::Path(p) => match p {
                Path::Param(n) => scope.param(n).unwrap_or(Val::Str(String::new())),
                Path::Outcome(s) => Val::Str(scope.outcome(s).unwrap_or_default()),
                Path::Output(s, n) => Val::Str(scope.output(s, n).unwrap_or_default()),
                Path::Tenant => Val::Str(scope.tenant().unwrap_or_default()),
                Path::RunId => Val::Str(scope.run_id()),
            },
            Expr::Not(e) => Val::Bool(!e.eval(scope).truthy()),
            Expr::And(a, b) => Val::Bool(a.eval(scope).truthy() && b.eval(scope).truthy()),
            Expr::Or(a, b) => Val::Bool(a.eval(scope).truthy() || b.eval(scope).truthy()),
            Expr::Eq(a, b) => Val::Bool(equal(&a.eval(scope), &b.eval(scope))),
            Expr::Ne(a, b) => Val::Bool(!equal(&a.eval(scope), &b.eval(scope))),
        }
    }
}

fn equal(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Str(_), Val::Str(_))
        | (Val::Int(_), Val::Int(_))
        | (Val::Bool(_), Val::Bool(_))
        | (Val::List(_), Val::List(_)) => a == b,
        _ => a.to_string() == b.to_string(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Str(String),
    Int(i64),
    Ident(String),
    Op(&'static str),
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tok::Str(s) => write!(f, "'{s}'"),
            Tok::Int(i) => write!(f, "{i}"),
            Tok::Ident(s) => f.write_str(s),
            Tok::Op(o) => f.write_str(o),
        }
    }
}

fn tokenize(text: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' || c == '"' {
            let end = chars[i + 1..]
                .iter()
                .position(|&d| d == c)
                .ok_or_else(|| format!("unterminated string starting at column {}", i + 1))?;
            out.push(Tok::Str(chars[i + 1..i + 1 + end].iter().collect()));
            i += end + 2;
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            i += 1;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            out.push(Tok::Int(
                s.parse()
                    .map_err(|_| format!("integer `{s}` is out of range"))?,
            ));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || "_-.".contains(chars[i]))
            {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = match two.as_str() {
                "==" => "==",
                "!=" => "!=",
                "&&" => "&&",
                "||" => "||",
                _ => match c {
                    '!' => "!",
                    '(' => "(",
                    ')' => ")",
                    _ => return Err(format!("unexpected `{c}` at column {}", i + 1)),
                },
            };
            i += op.len();
            out.push(Tok::Op(op));
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn eat(&mut self, op: &str) -> bool {
        let found = matches!(self.tokens.get(self.pos), Some(Tok::Op(o)) if *o == op);
        if found {
            self.pos += 1;
        }
        found
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut e = self.and()?;
        while self.eat("||") {
            e = Expr::Or(Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut e = self.unary()?;
        while self.eat("&&") {
            e = Expr::And(Box::new(e), Box::new(self.unary()?));
        }
        Ok(e)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat("!") {
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        let left = self.primary()?;
        if self.eat("==") {
            return Ok(Expr::Eq(Box::new(left), Box::new(self.primary()?)));
        }
        if self.eat("!=") {
            return Ok(Expr::Ne(Box::new(left), Box::new(self.primary()?)));
        }
        Ok(left)
    }

    fn primary(&mut self) -> Result<Expr, String> {
        if self.eat("(") {
            let e = self.or()?;
            if !self.eat(")") {
                return Err("missing `)`".into());
            }
            return Ok(e);
        }
        let tok = self
            .tokens
            .get(self.pos)
            .cloned()
            .ok_or("the expression ends too early")?;
        self.pos += 1;
        match tok {
            Tok::Str(s) => Ok(Expr::Lit(Val::Str(s))),
            Tok::Int(i) => Ok(Expr::Lit(Val::Int(i))),
            Tok::Ident(id) => match id.as_str() {
                "true" => Ok(Expr::Lit(Val::Bool(true))),
                "false" => Ok(Expr::Lit(Val::Bool(false))),
                _ => parse_path(&id).map(Expr::Path),
            },
            Tok::Op(op) => Err(format!("unexpected `{op}`")),
        }
    }
}

fn parse_path(id: &str) -> Result<Path, String> {
    let parts: Vec<&str> = id.split('.').collect();
    match parts.as_slice() {
        ["params", name] => Ok(Path::Param(name.to_string())),
        ["steps", step, "outcome"] => Ok(Path::Outcome(step.to_string())),
        ["steps", step, "outputs", name] => Ok(Path::Output(step.to_string(), name.to_string())),
        ["tenant"] => Ok(Path::Tenant),
        ["run_id"] => Ok(Path::RunId),
        _ => Err(format!(
            "unknown name `{id}`: use params.NAME, steps.ID.outcome, steps.ID.outputs.NAME, tenant or run_id"
        )),
    }
}

/// A `with:` string: literal text and `${{ expr }}` parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Expr(Expr),
}

/// Splits `text` into literal text and `${{ expr }}` parts.
pub fn parse_template(text: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        if start > 0 {
            out.push(Piece::Text(rest[..start].to_string()));
        }
        let after = &rest[start + 3..];
        let end = after.find("}}").ok_or("`${{` without a closing `}}`")?;
        out.push(Piece::Expr(Expr::parse(&after[..end])?));
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    Ok(out)
}

/// Evaluates a `with:` string. A string that is exactly one `${{ expr }}` keeps the value's
/// type (a list stays a list); anything else becomes text.
pub fn render(pieces: &[Piece], scope: &dyn Scope) -> Val {
    if let [Piece::Expr(e)] = pieces {
        return e.eval(scope);
    }
    let mut s = String::new();
    for p in pieces {
        match p {
            Piece::Text(t) => s.push_str(t),
            Piece::Expr(e) => s.push_str(&e.eval(scope).to_string()),
        }
    }
    Val::Str(s)
}

/// A scope over plain maps, for tests and for `flow:run --dry-run`.
#[derive(Debug, Default)]
pub struct MapScope {
    pub params: BTreeMap<String, Val>,
    pub outcomes: BTreeMap<String, String>,
    pub outputs: BTreeMap<(String, String), String>,
    pub tenant: Option<String>,
    pub run_id: String,
}

impl Scope for MapScope {
    fn param(&self, name: &str) -> Option<Val> {
        self.params.get(name).cloned()
    }
    fn outcome(&self, step: &str) -> Option<String> {
        self.outcomes.get(step).cloned()
    }
    fn output(&self, step: &str, name: &str) -> Option<String> {
        self.outputs
            .get(&(step.to_string(), name.to_string()))
            .cloned()
    }
    fn tenant(&self) -> Option<String> {
        self.tenant.clone()
    }
    fn run_id(&self) -> String {
        self.run_id.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> MapScope {
        let mut s = MapScope::default();
        s.params.insert("env".into(), Val::Str("prod".into()));
        s.params.insert("n".into(), Val::Int(3));
        s.params.insert("notify".into(), Val::Bool(false));
        s.outcomes.insert("build".into(), "success".into());
        s.outputs
            .insert(("build".into(), "version".into()), "1.2.3".into());
        s
    }

    fn eval(text: &str) -> bool {
        Expr::parse(text).unwrap().eval(&scope()).truthy()
    }

    #[test]
    fn evaluates_conditions() {
        assert!(eval("params.env == 'prod'"));
        assert!(eval(
            "params.env != \"dev\" && steps.build.outcome == 'success'"
        ));
        assert!(!eval("params.notify"));
        assert!(eval("!params.notify || false"));
        assert!(eval("params.n == 3 && params.n == '3'"));
        assert!(eval(
            "(params.env == 'dev' || params.env == 'prod') && steps.build.outputs.version"
        ));
        assert!(!eval("steps.build.outputs.missing"));
    }

    #[test]
    fn rejects_bad_expressions_with_a_reason() {
        for (text, msg) in [
            ("params.env ==", "ends too early"),
            ("params.env = 'x'", "unexpected `=`"),
            ("'abc", "unterminated string"),
            ("foo.bar", "unknown name `foo.bar`"),
            ("(true", "missing `)`"),
            ("true false", "unexpected `false`"),
        ] {
            let err = Expr::parse(text).unwrap_err();
            assert!(err.contains(msg), "{text}: {err}");
        }
    }

    #[test]
    fn renders_templates() {
        let s = scope();
        let p = parse_template("v${{ steps.build.outputs.version }}-${{ params.env }}").unwrap();
        assert_eq!(render(&p, &s), Val::Str("v1.2.3-prod".into()));
        let p = parse_template("${{ params.n }}").unwrap();
        assert_eq!(render(&p, &s), Val::Int(3));
        assert!(parse_template("${{ params.x").is_err());
    }
}
