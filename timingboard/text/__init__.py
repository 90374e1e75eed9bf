"""What the board says, and how it reads what an operator types: Qt-free, so it is tested pure.

The item models (``qt/``) and the widgets only show these texts; a rule of wording or of reading
typed input has its home here, under its name:

- :mod:`~timingboard.text.board_columns`: the leaderboard's columns, headers and which row
  fields each column shows;
- :mod:`~timingboard.text.board_text`: each leaderboard cell and its tooltip, driver name forms,
  the scoreboard's short class names;
- :mod:`~timingboard.text.session_text`: the session clock, the flag, what remains;
- :mod:`~timingboard.text.passing_text`: a passing as the passings log shows it;
- :mod:`~timingboard.text.typed`: what an operator types (a feed's address, stage laps, a
  correction's lap time, seconds and laps);
- :mod:`~timingboard.text.entry_text`: the entry list editor's cells, a cell typed anew, what
  an edit changed;
- :mod:`~timingboard.text.event_text`: an event's sessions as its table lists them;
- :mod:`~timingboard.text.feed_status`: a silent feed's banner, a decoder's health row;
- :mod:`~timingboard.text.typed_passing`: a car number typed by hand, and what it counted as.

The package sits above ``store`` (an entry's name is split as the entry list splits it) and
below ``qt``. Times, gaps, speeds and flags themselves read as ``engine.formatting`` writes them
(the results and the feeds use them too).
"""
