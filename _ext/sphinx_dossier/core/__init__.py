"""The pure core: records, validation, the dataset. Imports neither Sphinx nor docutils."""
