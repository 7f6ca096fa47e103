//! The migrations folder: journal, SQL files and snapshots.
