"""Translations between the application's ports and the world; no business decisions here."""
