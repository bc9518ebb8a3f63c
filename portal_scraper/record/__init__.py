"""The record: its typed definition, how a page becomes one, its schema and the stages."""
