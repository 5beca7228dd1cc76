"""A row of controls that wraps onto further rows when the window is too narrow for it.

With large fonts (a projector, low vision) a row of labelled buttons can be wider than the
screen; a plain QHBoxLayout then forces the window wider than the screen and clips it. This
layout keeps each control at its preferred width and moves what does not fit to the next row.
A control that expands horizontally (a text field) takes the width left over on its row.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    # QLayout's item list (QLayout.addWidget wraps a widget in an item and calls addItem) ------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # Geometry --------------------------------------------------------------------------------

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def sizeHint(self) -> QSize:
        visible = self._visible()
        width = sum(item.sizeHint().width() for item in visible)
        width += self._spacing * max(0, len(visible) - 1)
        height = max((item.sizeHint().height() for item in visible), default=0)
        return QSize(width, height) + self._margin_size()

    def minimumSize(self) -> QSize:
        """As narrow as the widest single control, as low as one row: the rows it needs at a
        given width come from heightForWidth, which the enclosing layouts ask."""
        visible = self._visible()
        width = max((self._item_width(item, narrowest=True) for item in visible), default=0)
        height = max((item.minimumSize().height() for item in visible), default=0)
        return QSize(width, height) + self._margin_size()

    def _margin_size(self) -> QSize:
        margins = self.contentsMargins()
        return QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    @staticmethod
    def _expands(item: QLayoutItem) -> bool:
        widget = item.widget()
        if widget is None:
            return False
        policy = widget.sizePolicy().horizontalPolicy()
        return bool(policy.value & QSizePolicy.PolicyFlag.ExpandFlag.value)

    def _item_width(self, item: QLayoutItem, narrowest: bool = False) -> int:
        """A control's width on a row: its preferred width, or for an expanding one, its
        minimum (it grows into what is left)."""
        if self._expands(item):
            return max(item.minimumSize().width(), 200 if not narrowest else 0)
        return item.sizeHint().width()

    def _rows(self, width: int) -> list[list[QLayoutItem]]:
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            needed = self._item_width(item)
            if rows[-1] and used + self._spacing + needed > width:
                rows.append([])
                used = 0
            used += (self._spacing if rows[-1] else 0) + needed
            rows[-1].append(item)
        return [row for row in rows if row]

    def _arrange(self, rect: QRect, place: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        y = area.y()
        for row in self._rows(area.width()):
            widths = [min(self._item_width(item), area.width()) for item in row]
            spare = area.width() - sum(widths) - self._spacing * (len(row) - 1)
            expanding = [i for i, item in enumerate(row) if self._expands(item)]
            for i in expanding:
                widths[i] += spare // len(expanding)
            height = max(item.sizeHint().height() for item in row)
            x = area.x()
            for item, item_width in zip(row, widths, strict=True):
                if place:
                    item.setGeometry(QRect(QPoint(x, y), QSize(item_width, height)))
                x += item_width + self._spacing
            y += height + self._spacing
        return y - self._spacing - rect.y() + margins.bottom() if self._visible() else 0
