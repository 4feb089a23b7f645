"""The course around the explorers: quiz banks and links for the chapters' text."""
