"""Service catalog: file format validation, all-or-nothing import, knowledge base, pinyin search."""
