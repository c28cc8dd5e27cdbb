"""Writers of results: tables (terminal, CSV, Markdown, JSON), diagrams and reports."""
