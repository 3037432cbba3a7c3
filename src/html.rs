//! Static markup written as a string, for pages that are long, fixed text (the reference): one
//! `inner_html` instead of a `view!` per element, which the wasm pays for per element type.
//! Every text goes through `text`, which escapes it; attribute values are escaped too.

#[derive(Default)]
pub struct Html(pub String);

impl Html {
    /// Text as it is, never as markup.
    pub fn text(&mut self, text: &str) -> &mut Self {
        for ch in text.chars() {
            match ch {
                '&' => self.0.push_str("&amp;"),
                '<' => self.0.push_str("&lt;"),
                '>' => self.0.push_str("&gt;"),
                '"' => self.0.push_str("&quot;"),
                _ => self.0.push(ch),
            }
        }
        self
    }

    /// `<tag a="v" …>`; values escaped.
    pub fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.0.push('<');
        self.0.push_str(tag);
        for (name, value) in attrs {
            self.0.push(' ');
            self.0.push_str(name);
            self.0.push_str("=\"");
            self.text(value);
            self.0.push('"');
        }
        self.0.push('>');
        self
    }

    pub fn close(&mut self, tag: &str) -> &mut Self {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
        self
    }

    /// `<tag>text</tag>`.
    pub fn el(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.open(tag, attrs).text(text).close(tag)
    }

    /// A list of sentences (`<ul class="textlist">`), as `TextList` renders it.
    pub fn list<'a>(&mut self, items: impl IntoIterator<Item = &'a str>) -> &mut Self {
        self.open("ul", &[("class", "textlist")]);
        for item in items {
            self.el("li", &[], item);
        }
        self.close("ul")
    }

    pub fn paragraphs<'a>(&mut self, items: impl IntoIterator<Item = &'a String>) -> &mut Self {
        for p in items {
            self.el("p", &[], p);
        }
        self
    }
}
