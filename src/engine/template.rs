//! Message and help templates: text with `{variable}` placeholders, checked
//! against the variables the rule's check provides when the rule loads, so a
//! typo in a rule file is an error with its line and column, not a `{vaule}`
//! in a user's report. `{{` and `}}` stand for literal braces.

use super::Param;

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Var(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses a template; `vars` are the check's variables, and every
    /// parameter name is a variable too (its value in force).
    pub fn parse(text: &str, vars: &[&str], params: &[Param]) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut buf = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    buf.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    buf.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) => name.push(c),
                            None => return Err(format!("unclosed `{{{name}` in the template")),
                        }
                    }
                    if !vars.contains(&name.as_str()) && !params.iter().any(|p| p.name == name) {
                        let mut known: Vec<&str> = vars.to_vec();
                        known.extend(params.iter().map(|p| p.name.as_str()));
                        let hint = crate::model::convert::did_you_mean(&name, &known)
                            .map(|k| format!("did you mean `{{{k}}}`?"))
                            .unwrap_or_else(|| format!("known variables: {}", known.join(", ")));
                        return Err(format!("unknown template variable `{{{name}}}`; {hint}"));
                    }
                    if !buf.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut buf)));
                    }
                    pieces.push(Piece::Var(name));
                }
                '}' => return Err("a lone `}` in the template (write `}}` for a brace)".into()),
                c => buf.push(c),
            }
        }
        if !buf.is_empty() {
            pieces.push(Piece::Text(buf));
        }
        Ok(Template { pieces })
    }

    /// Fills the placeholders; a variable without a value renders as `?`.
    pub fn render(&self, vars: &[(&str, String)]) -> String {
        self.render_with(|name, out| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| out.push_str(v))
                .is_some()
        })
    }

    /// Fills the placeholders: `var` appends the value of the name it is
    /// given and says whether it has one; a variable without a value
    /// renders as `?`.
    pub fn render_with(&self, var: impl Fn(&str, &mut String) -> bool) -> String {
        crate::diagnostic::exact_text(|out| {
            for p in &self.pieces {
                match p {
                    Piece::Text(t) => out.push_str(t),
                    Piece::Var(name) => {
                        if !var(name, out) {
                            out.push('?');
                        }
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_render() {
        let t =
            Template::parse("service `{name}` at {value} {{x}}", &["name", "value"], &[]).unwrap();
        assert_eq!(
            t.render(&[("name", "api".into()), ("value", "90%".into())]),
            "service `api` at 90% {x}"
        );
        let e = Template::parse("{vaule}", &["name", "value"], &[]).unwrap_err();
        assert!(e.contains("did you mean `{value}`"), "{e}");
        assert!(Template::parse("{open", &[], &[]).is_err());
    }
}
