"""Case sheets (事例表): the sheet built from the records, its pages, PDF / .xlsx and CLI."""
