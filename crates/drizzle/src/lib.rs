//! What applications depend on: the schema derives.
