"""The one image pipeline: pixels and figures to PNG, PNG and SVG to ``<img>`` tags.

An explorer hands each picture to an ``ipywidgets.HTML`` as an ``<img>`` carrying the
image inline (a ``data:`` URI): it travels in the saved widget state, so the static site
shows it, and its alt text tells a screen reader what the picture shows right now. Every
tag made here requires that alt text.

- :func:`encode_png`: an RGB array to PNG bytes (the heatmaps, thumbnails, and the
  canvas of a :class:`~widgets.display.figures.BlittedFigure`);
- :func:`canvas_png`: what a matplotlib Agg canvas shows now, to PNG;
- :func:`figure_png`: a whole matplotlib figure to PNG, trimmed to its content;
- :func:`data_uri`, :func:`png_data_uri`: inline images for an SVG's ``<image>``;
- :func:`png_img_tag`, :func:`svg_img_tag`: the ``<img>`` elements.
"""

from __future__ import annotations

import base64
import html
import io

import numpy as np
from PIL import Image

#: Light compression: an explorer re-encodes its PNGs on every redraw (30 times a second
#: in the Playground's play mode), and level 1 is several times faster than the default
#: 6 for a few kB more.
PNG_OPTIONS = {"compress_level": 1}


def encode_png(rgb) -> bytes:
    """PNG bytes of an RGB image: a uint8 array of shape (height, width, 3)."""
    buffer = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb)).save(buffer, format="png", **PNG_OPTIONS)
    return buffer.getvalue()


def canvas_png(canvas) -> bytes:
    """PNG of what a matplotlib Agg canvas holds now (drawn already; alpha dropped).

    RGB, not RGBA: the canvas is opaque, and a quarter less data encodes faster.
    """
    return encode_png(np.asarray(canvas.buffer_rgba())[..., :3])


def figure_png(figure) -> bytes:
    """PNG of a whole matplotlib figure, trimmed to its content (as a notebook shows it)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.08)
    return buffer.getvalue()


def data_uri(data: bytes | str, mime: str) -> str:
    """A ``data:`` URI carrying ``data`` (bytes, or text encoded as UTF-8) inline."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def png_data_uri(rgb) -> str:
    """A ``data:`` URI of an RGB array as PNG (for an SVG ``<image href=...>``)."""
    return data_uri(encode_png(rgb), "image/png")


def _img_tag(uri: str, alt: str, width: int | None) -> str:
    if not isinstance(alt, str):
        raise TypeError(f"alt must be a string describing the picture; got {type(alt).__name__}.")
    if not alt.strip():
        raise ValueError("alt must describe what the picture shows; got an empty text.")
    size = f' width="{width}"' if width else ""
    return (
        f'<img src="{uri}" alt="{html.escape(alt, quote=True)}"{size} '
        f'style="max-width:100%;height:auto">'
    )


def png_img_tag(png: bytes, alt: str, width: int | None = None) -> str:
    """An ``<img>`` carrying PNG bytes inline, with (required, escaped) alt text."""
    return _img_tag(data_uri(png, "image/png"), alt, width)


def svg_img_tag(svg: str, alt: str, width: int | None = None) -> str:
    """An ``<img>`` carrying an SVG document inline, with (required, escaped) alt text."""
    return _img_tag(data_uri(svg, "image/svg+xml"), alt, width)
