"""Every colour the window uses, in two themes: normal and high contrast.

One place, so that a new widget cannot bring a colour of its own that fails on the other theme,
and so that a test can check each pair that is drawn one on the other against WCAG 2.1 AA
(4.5:1 for text, 3:1 for the parts of a control or chart that carry meaning).
Pure data and arithmetic: no Qt here (appearance.py turns a theme into a palette and a style sheet).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

# WCAG 2.1 AA: text (1.4.3) and the graphical parts of controls and charts (1.4.11).
TEXT_CONTRAST = 4.5
GRAPHIC_CONTRAST = 3.0


@dataclass(frozen=True)
class Theme:
    """Colours as "#rrggbb". `window`/`text` are the page, `base`/`field_text` the inside of text
    fields and lists, `button`/`button_text` push buttons; `disabled_*` what a control looks
    like while it cannot be used (dimmer, and with a dashed border in high contrast)."""

    name: str
    window: str
    text: str
    base: str
    alternate_base: str
    field_text: str
    placeholder: str
    border: str
    focus: str
    button: str
    button_text: str
    disabled_text: str
    disabled_border: str
    disabled_button: str
    highlight: str
    highlighted_text: str
    link: str
    tooltip: str
    tooltip_text: str
    # Messages: something to know (info), something gone wrong (error), a degraded mode (warning).
    info: str
    error: str
    warning: str
    # The conversation: who said what.
    customer: str
    trainee: str
    # The customer's caption under the conversation.
    caption: str
    caption_text: str
    caption_border: str
    # The box asking the trainee to check an unsure transcript, and its doubtful words.
    check: str
    check_text: str
    doubtful: str
    doubtful_text: str
    # Score bars: the filled part by level, and the empty track with its outline.
    score_good: str
    score_fair: str
    score_poor: str
    track: str
    track_border: str
    # Charts.
    chart: str
    chart_text: str
    chart_grid: str
    chart_lines: tuple[str, ...]
    # Dashed borders make a disabled control recognisable without relying on colour alone.
    disabled_border_style: str = "solid"

    def score_colour(self, value: int) -> str:
        return (
            self.score_good if value >= 70 else self.score_fair if value >= 40 else self.score_poor
        )


NORMAL = Theme(
    name="normal",
    window="#f0f0f0",
    text="#1a1a1a",
    base="#ffffff",
    alternate_base="#f5f5f5",
    field_text="#1a1a1a",
    placeholder="#5f5f5f",
    border="#767676",
    focus="#0b57d0",
    button="#e4e4e4",
    button_text="#1a1a1a",
    disabled_text="#666666",
    disabled_border="#b0b0b0",
    disabled_button="#f3f3f3",
    highlight="#0b57d0",
    highlighted_text="#ffffff",
    link="#0b57d0",
    tooltip="#ffffdc",
    tooltip_text="#1a1a1a",
    info="#0b4f9c",
    error="#b71c1c",
    warning="#7a4300",
    customer="#1255a8",
    trainee="#1e6b23",
    caption="#20242b",
    caption_text="#f5f5f5",
    caption_border="#20242b",
    check="#fff8e1",
    check_text="#3e2723",
    doubtful="#ffb300",
    doubtful_text="#000000",
    score_good="#1e6b23",
    score_fair="#8a5300",
    score_poor="#b71c1c",
    track="#d9d9d9",
    track_border="#767676",
    chart="#ffffff",
    chart_text="#222222",
    chart_grid="#c8c8c8",
    # Okabe-Ito, colour-blind safe, darkened where needed to reach 3:1 on white.
    chart_lines=("#0072b2", "#d55e00", "#007a5a", "#a6427c", "#8c6500", "#000000"),
)

HIGH_CONTRAST = Theme(
    name="high contrast",
    window="#000000",
    text="#ffffff",
    base="#000000",
    alternate_base="#1a1a1a",
    field_text="#ffffff",
    placeholder="#c8c8c8",
    border="#ffffff",
    focus="#ffd600",
    button="#000000",
    button_text="#ffffff",
    disabled_text="#9a9a9a",
    disabled_border="#8a8a8a",
    disabled_button="#000000",
    highlight="#ffd600",
    highlighted_text="#000000",
    link="#80d8ff",
    tooltip="#000000",
    tooltip_text="#ffffff",
    info="#80d8ff",
    error="#ff8a80",
    warning="#ffd600",
    customer="#80d8ff",
    trainee="#b9f6ca",
    caption="#000000",
    caption_text="#ffffff",
    caption_border="#ffd600",
    check="#000000",
    check_text="#ffffff",
    doubtful="#ffd600",
    doubtful_text="#000000",
    score_good="#00e676",
    score_fair="#ffd600",
    score_poor="#ff8a80",
    track="#404040",
    track_border="#ffffff",
    chart="#000000",
    chart_text="#ffffff",
    chart_grid="#6a6a6a",
    chart_lines=("#56b4e9", "#ffb000", "#00e0a0", "#f0a0d0", "#f0e442", "#ffffff"),
    disabled_border_style="dashed",
)

THEMES = (NORMAL, HIGH_CONTRAST)

# What is drawn on what, and how much contrast it needs.
TEXT_PAIRS = (
    ("text", "window"),
    ("field_text", "base"),
    ("field_text", "alternate_base"),
    ("placeholder", "base"),
    ("button_text", "button"),
    ("disabled_text", "disabled_button"),
    ("disabled_text", "window"),
    ("highlighted_text", "highlight"),
    ("link", "base"),
    ("tooltip_text", "tooltip"),
    ("info", "window"),
    ("info", "base"),
    ("error", "window"),
    ("error", "base"),
    ("warning", "window"),
    ("warning", "base"),
    ("customer", "base"),
    ("trainee", "base"),
    ("caption_text", "caption"),
    ("check_text", "check"),
    ("doubtful_text", "doubtful"),
    ("chart_text", "chart"),
    ("text", "base"),
)
GRAPHIC_PAIRS = (
    ("border", "base"),
    ("border", "window"),
    ("focus", "window"),
    ("score_good", "track"),
    ("score_fair", "track"),
    ("score_poor", "track"),
    ("score_good", "base"),
    ("score_fair", "base"),
    ("score_poor", "base"),
    ("track_border", "base"),
    ("highlight", "base"),
)


def relative_luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of "#rrggbb"."""
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def colour_names() -> list[str]:
    """Every single-colour field of a theme."""
    return [
        f.name
        for f in fields(Theme)
        if f.name not in ("name", "chart_lines", "disabled_border_style")
    ]


_current: list[Theme] = [NORMAL]


def current_theme() -> Theme:
    """The theme the application is drawn in (set by appearance.apply_appearance)."""
    return _current[0]


def use_theme(theme: Theme) -> None:
    _current[0] = theme
