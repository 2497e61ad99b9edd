"""analysis.core.files. Reading once per file state, which this file held, is tested beside its modules:
tests/core/test_memo.py (file_key, remembered), tests/core/test_strict_yaml.py (load_yaml_strict) and
tests/metadata/test_processed.py (read_processed)."""
