"""Pure decisions: plain data in, a plan out. No I/O here; commands perform the plans."""
