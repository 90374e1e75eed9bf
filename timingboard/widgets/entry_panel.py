"""The operator's entry panel: type a car number and Enter as the car crosses; flags by key."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from timingboard.engine.events import Flag
from timingboard.engine.formatting import FLAG_NAMES
from timingboard.qt.action_registry import FLAG_ACTIONS, FLAG_KEYS, make_action
from timingboard.qt.manual_entry import ManualEntry, unknown_number_text
from timingboard.text.board_text import button_names
from timingboard.text.opening_text import dropped_after_open, kept_after_open
from timingboard.text.typed_passing import (
    MAX_CAR_NUMBER,
    EntryOutcome,
    EntryResult,
    held_parts,
    held_text,
    recent_line,
)
from timingboard.widgets.elided_label import LinesLabel
from timingboard.widgets.entry_band import BAD, GOOD, WARNING, EntryTold, Tone

BUTTON_NAMES = FLAG_NAMES | {Flag.FULL_COURSE_YELLOW: "FCY"}
TONES = {GOOD: Tone.GOOD, WARNING: Tone.WARNING, BAD: Tone.BAD}
MESSAGE_COLOURS = {
    EntryOutcome.RECORDED: GOOD,
    EntryOutcome.IGNORED: WARNING,
    EntryOutcome.AMENDED: WARNING,
    EntryOutcome.UNKNOWN: WARNING,
    EntryOutcome.INVALID: BAD,
}
LOUD_POINT_SIZE, LOUD_PADDING_PX = 15, 6
LOUD_STYLE = (
    "color: #111111; background: #f2c200; font-weight: bold;"
    f" font-size: {LOUD_POINT_SIZE}pt; padding: {LOUD_PADDING_PX}px;"
)
MESSAGE_LINES = 2  # of the loud message: the room the feedback always has
MOST_MESSAGE_LINES = 5  # the room grows to hold the loud warning whole up to so many lines
RECENT_SHOWN = 12
TYPED_ROLE = Qt.ItemDataRole.UserRole  # a line of the typed log: (car, time_ms) it was typed at
PROMPT = "Type a car number as it crosses the line, then Enter."

GRID_COLUMNS = 6  # at most; fewer on a narrow panel
BUTTON_WIDTH, BUTTON_HEIGHT = 84, 56
FRAME_WIDTH = QStyle.PixelMetric.PM_DefaultFrameWidth  # a grid button's text lies inside it


HELD_LINES = 2  # the held line's room: a crossing and what to do with it, at 1280 px


class EntryPanel(QWidget):
    """Keyboard-first: the car field keeps the focus whatever else is clicked.

    Signals
    -------
    told(EntryTold)
        What the panel shows changed (a key typed, a message said, a crossing held): for the
        wall, where the panel is out of sight (:meth:`told_now`).
    """

    told = Signal(EntryTold)

    def __init__(self, entry: ManualEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entryPanel")
        self._entry = entry
        self._said = 0  # messages said, for the wall (:class:`EntryTold`)
        self._tone = Tone.PLAIN
        self.car_field = QLineEdit(self)
        self.car_field.setObjectName("carField")
        self.car_field.setPlaceholderText("Car #")
        # no length limit: digits past a car number's were cut off unsaid, and the first
        # eight logged as another car; Enter refuses a number too long, and says why
        font = QFont(self.car_field.font())
        font.setPointSize(26)
        font.setBold(True)
        self.car_field.setFont(font)
        self.car_field.installEventFilter(self)
        # the feedback has a room of its own whose height follows the panel's width only (the
        # buttons under it jumped as messages of one, two or four lines came and went): tall
        # enough for the loud unknown-number warning whole; anything longer is cut with "…",
        # whole in the tooltip
        self.message = LinesLabel(entry.standing_refusal() or PROMPT, self)  # a record: why not
        self.message.setObjectName("entryMessage")
        self._loud = QFont(self.message.font())
        self._loud.setPointSize(LOUD_POINT_SIZE)
        self._loud.setBold(True)
        # the longest it says, on either clock and with a short or long number (the lines
        # break elsewhere: "99? … since green" took a line more than the longest number)
        self._loud_samples = [
            unknown_number_text(car, 35_999_999, start)
            for car in ("8", "88", "8" * MAX_CAR_NUMBER)
            for start in (None, 0)
        ]
        self._loud_probe = LinesLabel(self._loud_samples[0], self)  # styled as the message is
        self._loud_probe.setObjectName("entryMessage")
        self._loud_probe.setStyleSheet(LOUD_STYLE)
        self._loud_probe.hide()
        self._size_message_room()
        self.message.installEventFilter(self)  # its room follows its width
        # crossings held for an unknown number: each whole, in as many lines as they take
        # (one, nearly always); what to do with them after, cut to the room left
        self.held_line = QLabel(self)
        self.held_line.setObjectName("heldCrossings")
        self.held_line.setStyleSheet(f"color: {WARNING};")
        self.held_line.setTextFormat(Qt.TextFormat.PlainText)  # its lines broken by _show_held
        self.held_line.setMinimumWidth(1)  # its lines follow the panel's width, never set it
        held_policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        held_policy.setRetainSizeWhenHidden(True)  # its line kept: nothing moves as it comes
        self.held_line.setSizePolicy(held_policy)
        self.held_line.installEventFilter(self)  # its lines follow its width
        self.held_line.setMinimumHeight(HELD_LINES * self.held_line.fontMetrics().lineSpacing())
        self._held = ""  # the whole of what it says (for the wall)
        self.held_line.setVisible(False)
        self.recent = QListWidget(self)
        self.recent.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.recent.setMinimumHeight(1)  # it gives way to the message (0 meant its own 70 px hint)
        self._recent_held: list[QListWidgetItem] | None = None  # while another session opens
        self.grid_toggle = QPushButton("Hand-scoring grid", self)
        self.grid_toggle.setCheckable(True)
        self.grid_toggle.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.grid = HandScoringGrid(entry, self)
        self.grid_area = QScrollArea(self)  # 60 cars' buttons never make the window taller
        self.grid_area.setWidget(self.grid)
        self.grid_area.setWidgetResizable(True)
        self.grid_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.grid_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.grid_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.grid_area.setVisible(False)
        self.height_before_grid: int | None = None  # its height when the grid was last shown
        self.flag_buttons: dict[Flag, QPushButton] = {}
        self.flag_actions: dict[Flag, QAction] = {}  # also the window's Flag menu
        layout = QVBoxLayout(self)
        layout.addWidget(self.car_field)
        layout.addWidget(self.message)
        layout.addWidget(self.held_line)
        layout.addLayout(self._flag_row())
        layout.addWidget(self.grid_toggle)
        layout.addWidget(self.grid_area, 3)
        layout.addWidget(self.recent, 1)
        self.car_field.returnPressed.connect(self._on_car_field_return_pressed)
        self.car_field.textChanged.connect(self._on_car_field_text_changed)
        self.grid_toggle.toggled.connect(self._on_grid_toggle_toggled)
        entry.entry_made.connect(self._on_entry_entry_made)
        entry.session_shown.connect(self._on_entry_session_shown)
        entry.entry_rejudged.connect(self._on_entry_entry_rejudged)
        entry.hold_changed.connect(self._on_entry_hold_changed)
        entry.refusal_lifted.connect(self._on_entry_refusal_lifted)
        entry.finished_began.connect(self._on_entry_finished_began)
        entry.opening_changed.connect(self._on_entry_opening_changed)
        self.setFocusProxy(self.car_field)

    def _flag_row(self) -> QGridLayout:
        row = QGridLayout()
        for i, (flag, action_id) in enumerate(FLAG_ACTIONS.items()):
            key = FLAG_KEYS[flag]
            button = QPushButton(f"{BUTTON_NAMES[flag]}  {key}", self)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(f"{FLAG_NAMES[flag]}: {key}")
            action = make_action(action_id, self, lambda _=False, f=flag: self._throw(f))
            button.clicked.connect(lambda _=False, f=flag: self._throw(f))
            self.addAction(action)
            self.flag_buttons[flag] = button
            self.flag_actions[flag] = action
            row.addWidget(button, i // 3, i % 3)
        return row

    def _throw(self, flag: Flag) -> None:
        why = self._entry.throw_flag(flag)
        if why is None:
            self.say(f"{FLAG_NAMES[flag]} flag shown.")
        elif why in (self._entry.refusal(), self._entry.flag_refusal(flag)):
            self.say(why, BAD)  # said whole (worded for the flag: opening, a record of the past)
        else:
            self.say(f"The {FLAG_NAMES[flag].lower()} flag was not taken: {why}.", BAD)
        self.car_field.setFocus()

    def say(self, text: str, colour: str = "", loud: bool = False) -> None:
        """A message in its own colour (none: the palette's), ``loud`` in the yellow box;
        nothing carries over."""
        self.message.setText(text)
        self.message.setStyleSheet(LOUD_STYLE if loud else f"color: {colour};" if colour else "")
        self._said += 1
        self._tone = Tone.WARNING if loud else TONES.get(colour, Tone.PLAIN)
        self._fit_message()
        self.told.emit(self.told_now())

    def told_now(self) -> EntryTold:
        """What the panel shows: the number in the field, the message (none for the prompt),
        the crossings held."""
        message = self.message.text()
        return EntryTold(
            typed=self.car_field.text(),
            message="" if message == PROMPT else message,
            tone=self._tone,
            held=self._held,
            said=self._said,
        )

    def escape(self) -> bool:
        """Esc as the operator means it here: the field cleared, the latest held crossing set
        aside to be retyped, or the one being retyped dropped. False: nothing to clear (the
        wall's Esc then leaves board mode)."""
        entry = self._entry
        if not (self.car_field.text() or entry.held() or entry.retyping() is not None):
            return False
        self.car_field.clear()
        self.say(entry.set_aside() or "Cleared.")
        return True

    def _on_car_field_text_changed(self, _text: str) -> None:
        self.told.emit(self.told_now())

    def _fit_message(self) -> None:
        """The message drawn again in its room (cut to it, or whole)."""
        self.message.update()

    def _size_message_room(self) -> None:
        """The room of the message at this width: two loud lines, or the unknown-number warning
        whole if it takes more (it was cut to "…Enter again to add it (its…", the operator's
        next step lost), measured on a loud label of that text as Qt lays it out."""
        probe = self._loud_probe
        spacing = QFontMetrics(self._loud).lineSpacing()
        frame = 2 * LOUD_PADDING_PX + 2
        width = max(1, self.message.width())
        needed = 0
        for sample in self._loud_samples:
            probe.setText(sample)
            needed = max(needed, probe.heightForWidth(width))
        least, most = MESSAGE_LINES * spacing + frame, MOST_MESSAGE_LINES * spacing + frame
        height = min(max(least, needed), most)  # at most so many lines: never a taller window
        if self.message.height() != height or self.message.minimumHeight() != height:
            self.message.setFixedHeight(height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Undo and redo in the car field are the window's (the corrections), not the field's:
        the field has the focus nearly always, and a car number is retyped, not undone. The
        message's room is sized again when its width changes."""
        if watched is self.message and event.type() == QEvent.Type.Resize:
            self._size_message_room()
        if watched is self.held_line and event.type() == QEvent.Type.Resize:
            self._show_held()
        if (
            watched is self.car_field
            and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and isinstance(event, QKeyEvent)
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
            )
        ):
            event.ignore()  # nothing to undo: the field still never brings a number back
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape:
            if not self.escape():
                self.say("Cleared.")
            return
        super().keyPressEvent(event)

    def _on_car_field_return_pressed(self) -> None:
        self._entry.enter(self.car_field.text())

    def _on_entry_entry_rejudged(self, result: EntryResult) -> None:
        """The last passing typed counts otherwise now: say so, leave the field as typed."""
        self.say(result.message, MESSAGE_COLOURS[result.outcome])
        typed = (result.car, result.time_ms)
        for row in range(self.recent.count()):
            item = self.recent.item(row)
            if item.data(TYPED_ROLE) == typed:
                item.setText(recent_line(result, self._entry.start_ms()))
                break

    def _on_entry_entry_made(self, result: EntryResult) -> None:
        self.say(result.message, MESSAGE_COLOURS[result.outcome], loud=result.loud)
        if result.outcome in (EntryOutcome.RECORDED, EntryOutcome.IGNORED, EntryOutcome.AMENDED):
            self.car_field.clear()
            item = QListWidgetItem(recent_line(result, self._entry.start_ms()))
            item.setData(TYPED_ROLE, (result.car, result.time_ms))  # found again if re-judged
            self.recent.insertItem(0, item)
            while self.recent.count() > RECENT_SHOWN:
                self.recent.takeItem(self.recent.count() - 1)
        else:
            self.car_field.selectAll()
        self.car_field.setFocus()

    def _on_entry_hold_changed(self) -> None:
        """Held crossings stay in sight whatever is typed meanwhile: none is lost unsaid."""
        entry = self._entry
        self._held = held_text(entry.held(), entry.retyping(), entry.start_ms())
        self._show_held()
        self.held_line.setVisible(bool(self._held))
        self._fit_message()
        self.told.emit(self.told_now())

    def _show_held(self) -> None:
        """The held crossings broken into lines at the label's width, never inside one; what
        to do with them after the last (see :func:`_with_how`)."""
        entry = self._entry
        pieces, how = held_parts(entry.held(), entry.retyping(), entry.start_ms())
        metrics = self.held_line.fontMetrics()
        room = max(1, self.held_line.contentsRect().width())
        lines: list[str] = []
        for piece in pieces:
            joined = f"{lines[-1]} {piece}" if lines else piece
            if lines and metrics.horizontalAdvance(joined) <= room:
                lines[-1] = joined
            else:
                lines.append(piece)
        if lines and how:
            lines = _with_how(lines, how, metrics, room)
        # two lines kept, shown or not: the crossing and what to do with it move nothing
        self.held_line.setMinimumHeight(HELD_LINES * metrics.lineSpacing())
        shown = "\n".join(lines)
        self.held_line.setText(shown)
        self.held_line.setToolTip("" if shown == self._held else self._held)

    def _on_entry_refusal_lifted(self) -> None:
        if self.isEnabled():  # a replay, a read-only session: why it takes nothing stays said
            self.say(f"Typed numbers are timed here again. {PROMPT}")

    def _on_entry_finished_began(self) -> None:
        """The session just ended (or its end redone, its results declared): said at once, as
        a session opened finished says it (the panel said nothing of it until a number was
        typed). While another session opens, that open is what is said; in a replay or a
        read-only session, why it takes nothing."""
        if self._entry.opening is None and self.isEnabled():
            self.say(self._entry.standing_refusal() or PROMPT)

    def _on_entry_session_shown(self) -> None:
        """The prompt; over a record of the past or a finished session (ended, official), why
        typed numbers are not timed in it (the end undone: the prompt again). A
        number typed while the session was being opened stays in the field (not logged)."""
        if self._entry.opening is None:
            self.car_field.clear()
        self.recent.clear()
        self._recent_held = None
        self.say(self._entry.standing_refusal() or PROMPT)

    def hold_recent(self) -> None:
        """Another session's board is shown ahead of it: the crossings typed in the session
        leaving go from sight with its entries and corrections ("0:00:42.372 since green Car
        27" stayed listed under "Opening 24h.tbs…"), kept to come back if it stays."""
        if self._recent_held is None:
            self._recent_held = [self.recent.takeItem(0) for _ in range(self.recent.count())]

    def release_recent(self) -> None:
        """The session being opened was not (failed, or dropped): its typed crossings again."""
        held, self._recent_held = self._recent_held, None
        for row, item in enumerate(held or []):
            self.recent.insertItem(row, item)

    def _on_entry_opening_changed(self) -> None:
        """While a session is opened the panel says so (not the session before's prompt or
        refusal); once it ended, a number kept in the field is said to be not logged yet."""
        opening = self._entry.opening
        typed = self.car_field.text().strip()
        if opening is not None:
            self.say(opening)
        elif typed and not self.isEnabled():  # a replay, a read-only session: takes no number
            self.car_field.clear()  # let go, said after why (what the panel says now)
            self.say(f"{self.message.text()} {dropped_after_open(typed)}", BAD)
        elif typed:
            self.say(self._entry.refusal() or kept_after_open(typed), BAD)
            self.car_field.selectAll()
        else:
            self.say(self._entry.standing_refusal() or PROMPT)

    def _on_grid_toggle_toggled(self, shown: bool) -> None:
        if shown:  # the room to give back once hidden (the window's docks: its own)
            self.height_before_grid = self.height()
        self.grid_area.setVisible(shown)
        self.car_field.setFocus()


def _with_how(lines: list[str], how: str, metrics: QFontMetrics, room: int) -> list[str]:
    """What to do with the held crossings after them: whole, broken between its words, where
    it fits the held line's room (:data:`HELD_LINES`; "…Enter to ad…" was cut at 1280 px with
    one crossing held); else cut with "…" to the last line's room (whole in the tooltip)."""
    first, *words = how.strip().split(" ")
    whole = [*lines[:-1], f"{lines[-1]} {first}"]  # the dash stays by the crossings
    for word in words:
        joined = f"{whole[-1]} {word}"
        if metrics.horizontalAdvance(joined) <= room:
            whole[-1] = joined
        else:
            whole.append(word)
    if len(whole) <= max(HELD_LINES, len(lines)):
        return whole
    left = room - metrics.horizontalAdvance(lines[-1])
    cut = metrics.elidedText(how, Qt.TextElideMode.ElideRight, left)
    return [*lines[:-1], lines[-1] + (cut if "type" in cut else "")]  # a bare "—…" says nothing


class HandScoringGrid(QWidget):
    """One big button a car, for short tracks where cars cross every 13 to 20 seconds.

    The buttons share the panel's width evenly (each as wide as its column, the gaps alike:
    they once kept their own widths, gaps varying and "Ch…in" cut with room beside it), and a
    name is cut only where it does not fit that width (whole in the tooltip)."""

    def __init__(self, entry: ManualEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entry = entry
        self._layout = QGridLayout(self)
        self._layout.setSpacing(4)
        self._layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # it reflows
        self._buttons: dict[str, QToolButton] = {}
        self._labels: list[tuple[str, str]] | None = None  # (car, driver) of each button
        self._columns = GRID_COLUMNS  # as many as the panel's width takes, at least one
        self._stale = True  # the cars changed while the grid was hidden: made when shown
        self._fitted_to = -1  # the buttons' width their names were fitted to
        self._wanted = BUTTON_WIDTH  # how wide a button is wished, for its names
        entry.cars_changed.connect(self._on_entry_cars_changed)

    @property
    def buttons(self) -> dict[str, QToolButton]:
        """One a car, by car number (made now if the cars changed while hidden)."""
        if self._stale:
            self._make_buttons()
        return self._buttons

    def _on_entry_cars_changed(self) -> None:
        """Hidden (as it is unless asked for), the buttons wait until shown: 60 of them made
        ~5-10 ms of each session shown (a replay's first seek, File > Open)."""
        self._stale = True
        if self.isVisible():
            self._make_buttons()

    def _make_buttons(self) -> None:
        self._stale = False
        labels = self._entry.car_labels()
        if labels == self._labels:
            return  # the same cars (a replay's seek): its buttons stay (60 made again: ~10 ms)
        self._labels = labels
        for button in self._buttons.values():
            self._layout.removeWidget(button)
            button.deleteLater()
        self._buttons = {}
        names = button_names([driver for _car, driver in labels])
        for (car, driver), name in zip(labels, names, strict=True):
            button = QToolButton(self)
            button.setText(f"{car}\n{name}")
            button.setToolTip(f"{car} {driver}".strip())
            button.setProperty("name", name)
            button.setMinimumSize(BUTTON_WIDTH, BUTTON_HEIGHT)
            # as wide as its column, whatever its text asks: the columns are even
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            font = QFont(button.font())
            font.setPointSize(13)
            font.setBold(True)
            button.setFont(font)
            button.clicked.connect(lambda _=False, c=car: self._entry.enter(c))
            self._buttons[car] = button
        self._fitted_to = -1
        self._wanted = self._width_wanted()
        self._place()

    def _width_wanted(self) -> int:
        """How wide a button is wished: as its names mostly need (nine in ten whole: six
        columns of the least width cut "Chastain" where five would have shown it), up to half
        as wide again as the least (a few long names are cut, not every row made short)."""
        needs = sorted(
            button.fontMetrics().horizontalAdvance(str(button.property("name")))
            + self._inside(button)
            for button in self._buttons.values()
        )
        most = needs[(9 * len(needs)) // 10] if needs else 0
        return max(BUTTON_WIDTH, min(most, BUTTON_WIDTH * 3 // 2))

    @staticmethod
    def _inside(button: QToolButton) -> int:
        """What a button's width holds besides its text: the style draws it inside its frame."""
        return 4 * button.style().pixelMetric(FRAME_WIDTH, None, button) + 2

    def resizeEvent(self, event: QResizeEvent) -> None:
        """As many columns as the panel's width takes: the grid never widens the window."""
        super().resizeEvent(event)
        wide = self._wanted + self._layout.spacing()
        columns = max(1, min(GRID_COLUMNS, self._room() // wide))
        if columns != self._columns:
            self._columns = columns
            self._place()
        else:
            self._fit_names()

    def showEvent(self, event: QShowEvent) -> None:
        """Its buttons made if the cars changed while hidden, their names fitted to the width
        it is shown at (hidden, they stay whole)."""
        if self._stale:
            self._make_buttons()
        super().showEvent(event)
        self._fit_names()

    def _room(self) -> int:
        margins = self._layout.contentsMargins()
        return self.width() - margins.left() - margins.right() + self._layout.spacing()

    def _place(self) -> None:
        for i, button in enumerate(self._buttons.values()):
            self._layout.addWidget(button, i // self._columns, i % self._columns)
        for column in range(max(GRID_COLUMNS, self._layout.columnCount())):
            self._layout.setColumnStretch(column, 1 if column < self._columns else 0)
        rows = -(-len(self._buttons) // self._columns)
        margins = self._layout.contentsMargins()
        spacing = self._layout.spacing()
        height = rows * (BUTTON_HEIGHT + spacing) + margins.top() + margins.bottom()
        self.setMinimumSize(BUTTON_WIDTH + margins.left() + margins.right(), height)
        self._fitted_to = -1
        self._fit_names()

    def _fit_names(self) -> None:
        """Each name whole where it fits the buttons' even width, else cut in its middle to it,
        as the button's style would cut it (so its text says what is shown): the style draws
        the text inside the button's frame, wherever the text's size hint asks more room."""
        if not self.isVisible():  # hidden: its width is none the panel gives it yet
            return
        width = max(BUTTON_WIDTH, self._room() // self._columns - self._layout.spacing())
        if width == self._fitted_to or not self._buttons:
            return
        self._fitted_to = width
        for car, button in self._buttons.items():
            name = str(button.property("name"))
            metrics = button.fontMetrics()
            room = max(0, width - self._inside(button))
            if metrics.horizontalAdvance(name) > room:
                name = metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, room)
            button.setText(f"{car}\n{name}")
