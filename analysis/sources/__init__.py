"""Raw articles (text or saved web pages) to the articles, sentences and cleaning-log tables.

ARCHITECTURE.md has the package's row in the layer table."""
