"""What explorers share: the Explorer base class, figures, image tags, palette, charts."""
