"""Modal dialogs, each typed with the result it returns."""
