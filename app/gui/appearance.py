"""Font size and theme, applied to the whole application: a palette and one style sheet, both
made from the colours in theme.py, so no widget carries a colour of its own."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from app.gui.theme import HIGH_CONTRAST, NORMAL, Theme, use_theme
from app.settings import Settings

# The customer's caption is read while listening, so it is larger than the body text; in
# presentation mode (F11) the caption and the conversation are sized for the back of a room.
CAPTION_STEP_PT = 4
PRESENTING_CAPTION_PT = 32
PRESENTING_CONVERSATION_PT = 24
PRESENTING_STEP_PT = 4  # and at least this much above the body text
# The call's state is a little larger than the body text, up to this size; beyond it, body sized
# (bold), so that it does not crowd the pane on a small screen.
STATE_STEP_PT = 3
STATE_LARGEST_PT = 18


def apply_appearance(app: QApplication, settings: Settings) -> Theme:
    """Fusion (the same look on every system, and one that honours the palette), the chosen
    font size and the chosen theme; returns the theme now in use."""
    theme = HIGH_CONTRAST if settings.high_contrast else NORMAL
    use_theme(theme)
    app.setStyle("Fusion")
    font = app.font()
    font.setPointSize(settings.font_size)
    app.setFont(font)
    app.setPalette(palette(theme))
    app.setStyleSheet(style_sheet(theme, settings.font_size))
    return theme


def repolish(widget: QWidget) -> None:
    """Re-applies the style sheet after a property it selects on (tone, presenting) changed."""
    style = widget.style()
    for each in (widget, *widget.findChildren(QWidget)):
        style.unpolish(each)
        style.polish(each)
        each.update()


def palette(theme: Theme) -> QPalette:
    colours = QPalette()
    role = QPalette.ColorRole
    for each, colour in (
        (role.Window, theme.window),
        (role.WindowText, theme.text),
        (role.Base, theme.base),
        (role.AlternateBase, theme.alternate_base),
        (role.Text, theme.field_text),
        (role.PlaceholderText, theme.placeholder),
        (role.Button, theme.button),
        (role.ButtonText, theme.button_text),
        (role.BrightText, theme.error),
        (role.Highlight, theme.highlight),
        (role.HighlightedText, theme.highlighted_text),
        (role.Link, theme.link),
        (role.ToolTipBase, theme.tooltip),
        (role.ToolTipText, theme.tooltip_text),
        # Fusion draws frames and the insides of bars from these.
        (role.Light, theme.base),
        (role.Midlight, theme.alternate_base),
        (role.Mid, theme.border),
        (role.Dark, theme.border),
        (role.Shadow, theme.border),
    ):
        colours.setColor(each, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for each in (role.WindowText, role.Text, role.ButtonText, role.PlaceholderText):
        colours.setColor(disabled, each, QColor(theme.disabled_text))
    colours.setColor(disabled, role.Button, QColor(theme.disabled_button))
    colours.setColor(disabled, role.Base, QColor(theme.window))
    colours.setColor(disabled, role.Mid, QColor(theme.disabled_border))
    return colours


def style_sheet(theme: Theme, font_pt: int) -> str:
    """The window's named parts in both themes; in high contrast, also a visible border on every
    field and button, a dashed one on disabled controls, and tracks on every bar."""
    t = theme
    state_pt = max(font_pt, min(font_pt + STATE_STEP_PT, STATE_LARGEST_PT))
    sheet = f"""
QLabel#caption {{
    font-size: {font_pt + CAPTION_STEP_PT}pt; padding: 8px; background: {t.caption};
    color: {t.caption_text}; border: 2px solid {t.caption_border}; border-radius: 6px;
}}
QWidget[presenting="true"] QLabel#caption {{
    font-size: {max(PRESENTING_CAPTION_PT, font_pt + PRESENTING_STEP_PT * 2)}pt;
}}
QWidget[presenting="true"] QTextBrowser#conversation {{
    font-size: {max(PRESENTING_CONVERSATION_PT, font_pt + PRESENTING_STEP_PT)}pt;
}}
QLabel#callState {{ font-size: {state_pt}pt; font-weight: bold; }}
QLabel#checkTranscript {{
    background: {t.check}; color: {t.check_text}; padding: 6px; border: 2px solid {t.doubtful};
}}
QLineEdit[unsure="true"] {{
    background: {t.check}; color: {t.check_text}; border: 2px solid {t.doubtful};
    selection-background-color: {t.doubtful}; selection-color: {t.doubtful_text};
}}
QLabel[tone="error"] {{ color: {t.error}; font-weight: bold; }}
QLabel[tone="warning"] {{ color: {t.warning}; font-weight: bold; }}
QLabel[tone="info"] {{ color: {t.info}; }}
"""
    if theme is not HIGH_CONTRAST:
        return sheet
    return (
        sheet
        + f"""
QLineEdit, QTextEdit, QPlainTextEdit, QTextBrowser, QComboBox, QSpinBox, QAbstractItemView {{
    border: 2px solid {t.border}; background: {t.base}; color: {t.field_text};
    selection-background-color: {t.highlight}; selection-color: {t.highlighted_text};
}}
QLineEdit:focus, QTextEdit:focus, QTextBrowser:focus, QComboBox:focus, QSpinBox:focus,
QAbstractItemView:focus {{ border-color: {t.focus}; }}
QLineEdit:disabled, QComboBox:disabled, QSpinBox:disabled {{
    color: {t.disabled_text}; border: 2px {t.disabled_border_style} {t.disabled_border};
}}
QComboBox QAbstractItemView {{ border: 2px solid {t.border}; }}
QPushButton {{
    background: {t.button}; color: {t.button_text}; border: 2px solid {t.border};
    border-radius: 4px; padding: 5px 12px;
}}
QPushButton:hover {{ border-color: {t.focus}; }}
QPushButton:focus {{ border: 3px solid {t.focus}; }}
QPushButton:pressed {{ background: {t.highlight}; color: {t.highlighted_text}; }}
QPushButton:disabled {{
    color: {t.disabled_text}; background: {t.disabled_button};
    border: 2px {t.disabled_border_style} {t.disabled_border};
}}
QProgressBar {{
    border: 2px solid {t.track_border}; background: {t.track}; color: {t.text};
    text-align: center;
}}
QProgressBar::chunk {{ background: {t.score_fair}; }}
QCheckBox::indicator {{
    width: 0.9em; height: 0.9em; border: 2px solid {t.border}; background: {t.base};
}}
QCheckBox::indicator:checked {{ background: {t.highlight}; }}
QCheckBox:disabled {{ color: {t.disabled_text}; }}
QGroupBox {{ border: 1px solid {t.border}; margin-top: 1.4em; padding-top: 0.4em; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; color: {t.text}; }}
QTabBar::tab {{
    background: {t.window}; color: {t.text}; border: 2px solid {t.border}; padding: 4px 12px;
}}
QTabBar::tab:selected {{ background: {t.highlight}; color: {t.highlighted_text}; }}
QTabWidget::pane {{ border: 2px solid {t.border}; }}
QHeaderView::section {{
    background: {t.window}; color: {t.text}; border: 1px solid {t.border}; padding: 2px 6px;
}}
QStatusBar {{ border-top: 1px solid {t.border}; }}
QToolTip {{ background: {t.tooltip}; color: {t.tooltip_text}; border: 1px solid {t.border}; }}
"""
    )
