//! Mapping a dump's column headers onto work-order fields.

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};

/// A work-order field a column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The order id (required).
    Id,
    /// The channel.
    Channel,
    /// The time received.
    Received,
    /// The title or subject.
    Title,
    /// The complaint text.
    Text,
    /// The address.
    Address,
    /// The reporter (phone or account).
    Reporter,
    /// The category.
    Category,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 8] = [
        Field::Id,
        Field::Channel,
        Field::Received,
        Field::Title,
        Field::Text,
        Field::Address,
        Field::Reporter,
        Field::Category,
    ];

    /// The field's name as used by `--map` (`id`, `title`, `text`, …).
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Channel => "channel",
            Field::Received => "received",
            Field::Title => "title",
            Field::Text => "text",
            Field::Address => "address",
            Field::Reporter => "reporter",
            Field::Category => "category",
        }
    }

    /// Parses a field name as used by `--map`.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Header names recognised for this field, most specific first.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Id => &[
                "工单编号",
                "工单号",
                "留言编号",
                "信件编号",
                "受理编号",
                "编号",
                "id",
                "order_id",
                "orderid",
                "ticket_id",
            ],
            Field::Channel => &[
                "渠道",
                "来源",
                "来源渠道",
                "受理渠道",
                "信息来源",
                "channel",
                "source",
            ],
            Field::Received => &[
                "来电时间",
                "受理时间",
                "留言时间",
                "投诉时间",
                "登记时间",
                "发布时间",
                "创建时间",
                "时间",
                "received",
                "time",
                "created_at",
                "timestamp",
                "date",
            ],
            Field::Title => &[
                "标题",
                "留言主题",
                "工单标题",
                "诉求标题",
                "信件标题",
                "主题",
                "title",
                "subject",
            ],
            Field::Text => &[
                "内容",
                "诉求内容",
                "留言详情",
                "问题描述",
                "来电内容",
                "反映内容",
                "信件内容",
                "详情",
                "正文",
                "text",
                "content",
                "body",
                "description",
            ],
            Field::Address => &[
                "地址",
                "事发地址",
                "事发地点",
                "发生地址",
                "地点",
                "address",
                "location",
            ],
            Field::Reporter => &[
                "来电号码",
                "联系电话",
                "留言用户",
                "用户",
                "反映人",
                "投诉人",
                "来电人",
                "手机号",
                "电话",
                "账号",
                "reporter",
                "phone",
                "user",
                "author",
            ],
            Field::Category => &[
                "诉求类型",
                "分类",
                "类别",
                "问题类型",
                "工单类型",
                "业务类型",
                "category",
                "type",
            ],
        }
    }
}

/// Which column (by index) feeds which field, decided once per file from its header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    columns: [Option<usize>; 8],
}

fn clean_header(h: &str) -> String {
    h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '"')
        .to_lowercase()
}

impl ColumnMap {
    /// Maps `headers` with the built-in aliases, then applies `overrides` (field → column name).
    ///
    /// A header matches a field exactly (ignoring case and surrounding space) or, for Chinese
    /// aliases, by containing the alias ("事发地址(详细)" feeds the address). Each column feeds
    /// at most one field; columns that feed none are carried through as extras. Fails if an
    /// override names a column that is not there, or if no column can feed the order id or the
    /// text (title or text).
    ///
    /// # Example
    /// ```
    /// use complaint_dedup::io::{ColumnMap, Field};
    /// let headers = ["留言编号", "留言用户", "留言主题", "留言时间", "留言详情"];
    /// let map = ColumnMap::from_headers(&headers, &[])?;
    /// assert_eq!(map.column(Field::Id), Some(0));
    /// assert_eq!(map.column(Field::Reporter), Some(1));
    /// assert_eq!(map.column(Field::Text), Some(4));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_headers<S: AsRef<str>>(
        headers: &[S],
        overrides: &[(Field, String)],
    ) -> Result<ColumnMap> {
        let cleaned: Vec<String> = headers.iter().map(|h| clean_header(h.as_ref())).collect();
        let mut map = ColumnMap::default();
        let mut taken = vec![false; cleaned.len()];
        for (field, column) in overrides {
            let want = clean_header(column);
            let idx = cleaned.iter().position(|h| *h == want).ok_or_else(|| {
                Error::new(ErrorKind::BadMapping(format!(
                    "--map {}={column}: no column named {column:?} (columns: {})",
                    field.name(),
                    headers
                        .iter()
                        .map(|h| h.as_ref())
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            })?;
            map.columns[*field as usize] = Some(idx);
            taken[idx] = true;
        }
        // Exact matches first for every field, then containment, so that an exact
        // "时间" is never beaten by "受理时间" claimed through containment elsewhere.
        for exact in [true, false] {
            for field in Field::ALL {
                if map.columns[field as usize].is_some() {
                    continue;
                }
                'aliases: for alias in field.aliases() {
                    for (idx, h) in cleaned.iter().enumerate() {
                        if taken[idx] {
                            continue;
                        }
                        let hit = if exact {
                            h == alias
                        } else {
                            !alias.is_ascii() && h.contains(alias)
                        };
                        if hit {
                            map.columns[field as usize] = Some(idx);
                            taken[idx] = true;
                            break 'aliases;
                        }
                    }
                }
            }
        }
        if map.column(Field::Id).is_none() {
            return Err(missing(Field::Id));
        }
        if map.column(Field::Text).is_none() && map.column(Field::Title).is_none() {
            return Err(missing(Field::Text));
        }
        Ok(map)
    }

    /// The column index feeding `field`, if any.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.columns[field as usize]
    }

    /// The field a column feeds, if any.
    pub fn field_of(&self, column: usize) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| self.columns[*f as usize] == Some(column))
    }
}

fn missing(field: Field) -> Error {
    Error::new(ErrorKind::MissingColumn {
        field: field.name(),
        tried: field.aliases().join("/"),
    })
}

/// Parses `--map` arguments of the form `field=column`.
pub(crate) fn parse_override(arg: &str) -> Result<(Field, String)> {
    let (field, column) = arg.split_once('=').ok_or_else(|| {
        Error::new(ErrorKind::BadMapping(format!(
            "{arg:?} is not FIELD=COLUMN"
        )))
    })?;
    let field = Field::from_name(field).ok_or_else(|| {
        Error::new(ErrorKind::BadMapping(format!(
            "unknown field {field:?} (fields: id, channel, received, title, text, address, reporter, category)"
        )))
    })?;
    Ok((field, column.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hotline_export_headers() {
        let h = [
            "工单编号",
            "来电时间",
            "来电号码",
            "诉求类型",
            "事发地址",
            "诉求内容",
            "渠道",
            "承办单位",
        ];
        let m = ColumnMap::from_headers(&h, &[]).unwrap();
        assert_eq!(m.column(Field::Id), Some(0));
        assert_eq!(m.column(Field::Received), Some(1));
        assert_eq!(m.column(Field::Reporter), Some(2));
        assert_eq!(m.column(Field::Category), Some(3));
        assert_eq!(m.column(Field::Address), Some(4));
        assert_eq!(m.column(Field::Text), Some(5));
        assert_eq!(m.column(Field::Channel), Some(6));
        assert_eq!(m.field_of(7), None);
    }

    #[test]
    fn english_headers_and_bom() {
        let h = ["\u{feff}ID", "Title", "Content", "Created_At"];
        let m = ColumnMap::from_headers(&h, &[]).unwrap();
        assert_eq!(m.column(Field::Id), Some(0));
        assert_eq!(m.column(Field::Title), Some(1));
        assert_eq!(m.column(Field::Text), Some(2));
        assert_eq!(m.column(Field::Received), Some(3));
    }

    #[test]
    fn containment_and_overrides() {
        let h = ["序号", "事发地址（详细）", "群众诉求", "工单号"];
        assert!(ColumnMap::from_headers(&h, &[]).is_err());
        let m = ColumnMap::from_headers(&h, &[parse_override("text=群众诉求").unwrap()]).unwrap();
        assert_eq!(m.column(Field::Text), Some(2));
        assert_eq!(m.column(Field::Address), Some(1));
        assert_eq!(m.column(Field::Id), Some(3));
    }

    #[test]
    fn missing_columns_are_named() {
        let err = ColumnMap::from_headers(&["标题", "内容"], &[]).unwrap_err();
        assert!(err.to_string().contains("no column for id"), "{err}");
        let err = ColumnMap::from_headers(&["编号", "地址"], &[]).unwrap_err();
        assert!(err.to_string().contains("no column for text"), "{err}");
        let err =
            ColumnMap::from_headers(&["编号", "内容"], &[(Field::Title, "x".into())]).unwrap_err();
        assert!(err.to_string().contains("no column named \"x\""), "{err}");
        assert!(parse_override("nofield=x").is_err());
        assert!(parse_override("title").is_err());
    }
}
