//! One page of a collection ([`Page`]) and what makes a generated model one
//! ([`Collection`]). The codegen implements [`Collection`] for every schema of the spec
//! with a `value` list and an `@odata.nextLink` (its `collections` transform), so the
//! collections that pages walk come from the spec.

use std::fmt;

/// One page of a collection: its items and the links Graph gave with them.
#[derive(Debug, Clone)]
pub struct Page<T> {
    items: Vec<T>,
    next_link: Option<String>,
    delta_link: Option<String>,
}

impl<T> Page<T> {
    /// A page of `items` with its links (the generated `Collection` impls build it).
    pub(crate) fn new(
        items: Vec<T>,
        next_link: Option<String>,
        delta_link: Option<String>,
    ) -> Self {
        Page {
            items,
            next_link,
            delta_link,
        }
    }

    /// The page's items.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The page's items, without the links.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// `@odata.nextLink`: the URL of the next page, when there is one.
    pub fn next_link(&self) -> Option<&str> {
        self.next_link.as_deref()
    }

    /// `@odata.deltaLink`: on the last page of a delta round, the URL that later returns
    /// only what was added since.
    pub fn delta_link(&self) -> Option<&str> {
        self.delta_link.as_deref()
    }
}

/// A generated collection response: one page of items.
pub(crate) trait Collection: serde::de::DeserializeOwned + fmt::Debug + Send {
    /// The item type.
    type Item: fmt::Debug + Send;

    /// The page it is.
    fn into_page(self) -> Page<Self::Item>;
}
