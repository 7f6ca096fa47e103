//! `diff(from, to)`: the changes that turn one `Schema` into another.
