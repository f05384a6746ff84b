"""Built-in protocol packs (data only); shipped in the wheel as exam_assistant._protocols."""
