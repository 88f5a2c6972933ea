"""Qt helpers every part of the app shares: the application, accessible names, drops, images as files."""
