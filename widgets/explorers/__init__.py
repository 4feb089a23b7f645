"""One module (or package) per explorer; each builds on :class:`widgets.display.Explorer`."""
