"""Help-center search: text analysis that understands Chinese and English, an in-memory
BM25 index kept in step with the database, and highlighted snippets."""
