//! Synthetic stores (in progress).
