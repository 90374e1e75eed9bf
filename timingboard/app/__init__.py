"""The application: the main window and how it starts."""
