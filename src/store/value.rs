//! The values the record's queries take and return, the same for both databases: whole
//! numbers, text and NULL. Each driver converts them to and from its own types.

/// A parameter of, or a column returned by, a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Text(String),
    Null,
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Int(i64::from(v))
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// Queries run inside a snapshot of the record (one read transaction).
pub type Reader<'a> = dyn FnMut(&str, &[Value]) -> anyhow::Result<Vec<Row>> + 'a;

/// One row of a query's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> anyhow::Result<&Value> {
        self.0
            .get(i)
            .ok_or_else(|| anyhow::anyhow!("the record returned no column {i}"))
    }

    /// A whole number (a boolean reads as 0 or 1).
    pub fn int(&self, i: usize) -> anyhow::Result<i64> {
        match self.at(i)? {
            Value::Int(n) => Ok(*n),
            other => anyhow::bail!("column {i} of the record is {other:?}, not a number"),
        }
    }

    /// A whole number, or `None` for NULL.
    pub fn opt_int(&self, i: usize) -> anyhow::Result<Option<i64>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.int(i).map(Some),
        }
    }

    pub fn bool(&self, i: usize) -> anyhow::Result<bool> {
        Ok(self.int(i)? != 0)
    }

    /// Text (NULL reads as empty).
    pub fn text(&self, i: usize) -> anyhow::Result<String> {
        match self.at(i)? {
            Value::Text(s) => Ok(s.clone()),
            Value::Null => Ok(String::new()),
            other => anyhow::bail!("column {i} of the record is {other:?}, not text"),
        }
    }

    /// Text, or `None` for NULL.
    pub fn opt_text(&self, i: usize) -> anyhow::Result<Option<String>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }
}
