"""Readers and writers of portfolios and results: CSV folders, workbooks, exchange formats."""
