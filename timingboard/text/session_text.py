"""What the header and the wall scoreboard say about the session: its clock and what remains."""

from __future__ import annotations

from datetime import UTC, datetime

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import Flag
from timingboard.engine.formatting import (
    FLAG_NAMES,
    format_clock,
    format_distance_left,
    format_laps_to_go,
    format_session_time,
)
from timingboard.engine.session_end import board_clock_ms

FLAG_TEXT: dict[Flag | None, str] = {  # the header's flag: the flag's name in capitals
    None: "NO FLAG",
    **{flag: name.upper() for flag, name in FLAG_NAMES.items()},
}
BAND_FLAG_TEXT = FLAG_TEXT | {  # the wall scoreboard's band: what the flag asks of the drivers
    Flag.YELLOW: "YELLOW · CAUTION",
    Flag.FULL_COURSE_YELLOW: "FULL-COURSE YELLOW",
    Flag.RED: "RED · STOPPED",
}
TOLD_SUFFIX = " (timing system)"  # laps to go as the timing system sends them


def clock_text(engine: TimingEngine, now_ms: int) -> str:
    """The session clock, from the start (or from time zero before it); race time stands at
    the finish (:func:`~timingboard.engine.session_end.board_clock_ms`)."""
    return format_clock(board_clock_ms(engine, now_ms))


def board_moment_text(engine: TimingEngine, now_ms: int) -> str:
    """``now_ms`` as the header reads it, its clock and what it counts from: "0:01:33 since
    green", standing at the finish as the header's does. The End session question said
    "0:01:57.867 since green" (the true time) under a header standing at 0:01:33."""
    return f"{clock_text(engine, now_ms)} {clock_origin_of(engine.start_ms)}"


def clock_origin(engine: TimingEngine, stopped: bool = False) -> str:
    """What the header's clock counts from, said beside it: the session's time before the
    green, race time after (the clock went from 0:00:08 back to 0:00:02 at F5 unexplained,
    and read a second off the log's and the replay bar's session time with no word why).
    ``stopped``: a record of the past, its clock standing at its last event."""
    counts = clock_origin_of(engine.start_ms)
    return f"{counts}, stopped at" if stopped else counts


STOPPED_SUFFIX = " (stopped)"  # the wall's clock of a record of the past


def recorded_day(origin_s: float) -> str:
    """The day a session was recorded on (its time zero's, in this computer's time zone)."""
    return datetime.fromtimestamp(origin_s, UTC).astimezone().date().isoformat()


def since_start(seconds: float) -> str:
    """How long after a session's start now is: "30 h", then days from two days on ("587
    days", not "14,064 h")."""
    hours = max(0, int(seconds // 3600))
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24:,} days"


def recorded_refusal(origin_s: float, now_s: float, flag: Flag | None = None) -> str:
    """Why a number typed (or ``flag`` thrown) into a record of the past is not taken, and
    what to do instead."""
    began = f"this session began on {recorded_day(origin_s)}"
    later = since_start(now_s - origin_s)
    if flag is not None:
        return (
            f"The {FLAG_NAMES[flag].lower()} flag was not taken: {began}; a flag now would be "
            f"{later} after its start. File ▸ New session… times a new one."
        )
    return (
        f"Not timed: {began}; a crossing now would be {later} after its start. To add a "
        "missed lap at its time, right-click the car ▸ Insert a missed lap…; File ▸ New "
        "session… times a new one."
    )


def recorded_status(origin_s: float, now_s: float, flag: Flag | None = None) -> str:
    """:func:`recorded_refusal` in the status bar's words: the reason and what to do, read
    whole in the room the bar leaves its message at 1280 px (the whole refusal, 206
    characters, was cut there after "a crossing now would be 2 days after its start. To ad")."""
    began = f"this session began on {recorded_day(origin_s)}, {since_start(now_s - origin_s)} ago"
    if flag is not None:
        return (
            f"The {FLAG_NAMES[flag].lower()} flag was not taken: {began}. File ▸ New session… "
            "times a new one."
        )
    return f"Not timed: {began}. A missed lap: right-click the car ▸ Insert a missed lap…"


def branched_refusal(original: str, flag: Flag | None = None) -> str:
    """Why a number typed (or ``flag`` thrown) into a copy branched from ``original`` (a file's
    name) to correct it is not taken: the copy is the session as it stood, and a race still on
    is timed in the original (a crossing here went in as a 17-minute lap, the copy's clock
    running on from the original's time zero)."""
    copy = f"this is a copy of {original} made to correct it"
    if flag is not None:
        return (
            f"The {FLAG_NAMES[flag].lower()} flag was not taken: {copy}; its race is timed in "
            f"{original} (File ▸ Open it to go on timing)."
        )
    return (
        f"Not timed: {copy}; its race is timed in {original} (File ▸ Open it to go on timing). "
        "To add a missed lap at its time, right-click the car ▸ Insert a missed lap…"
    )


def branched_status(original: str, flag: Flag | None = None) -> str:
    """:func:`branched_refusal` in the status bar's words, read whole in its room at 1280 px."""
    copy = f"a copy of {original} to correct"
    if flag is not None:
        name = FLAG_NAMES[flag].lower()
        return f"The {name} flag was not taken: {copy}; its race is timed there."
    return f"Not timed: {copy}. A missed lap: right-click the car ▸ Insert a missed lap…"


FINISHED_WHY = {  # why a finished session takes no flag, by how it finished
    "official": "its results are official",
    "ended": "it was ended",
    "finished": "every car took the flag",
}
AFTER_FINISH = {  # what the operator may do instead
    "official": "File ▸ New session… times a new one.",
    "ended": "File ▸ New session… times a new one.",
    "finished": "Green (F5) reopens the race if it goes on.",
}


def finished_flag_refusal(flag: Flag, how: str) -> str:
    """Why a flag thrown once the session is finished (``how``: a key of
    :data:`FINISHED_WHY`) is not taken: nothing is left to run, and a flag logged now would
    stand in its file for good (a yellow after the finish read "YELLOW … Finished", with
    nothing to undo it)."""
    return (
        f"The {FLAG_NAMES[flag].lower()} flag was not taken: the session is finished "
        f"({FINISHED_WHY[how]}); a flag now would change nothing on track. {AFTER_FINISH[how]}"
    )


def finished_flag_status(flag: Flag, how: str) -> str:
    """:func:`finished_flag_refusal` in the status bar's words (read whole at 1280 px)."""
    return (
        f"The {FLAG_NAMES[flag].lower()} flag was not taken: the session is finished. "
        f"{AFTER_FINISH[how]}"
    )


CROSSING_AFTER_FINISH = {  # a crossing missed before the finish: the correction still open
    "official": "To add a missed lap (an amendment), right-click the car ▸ Insert a missed lap…",
    "ended": "To add a missed lap before the end, right-click the car ▸ Insert a missed lap…",
}


def finished_crossing_refusal(how: str) -> str:
    """Why a number typed once the session is ended or its results official (``how``: a key
    of :data:`CROSSING_AFTER_FINISH`) is not taken: every result is final, and a crossing
    logged now would count for nothing yet stand in its file for good (the walk: a number
    typed 7:35 after End session made car 2 "Finished" P2, a lap more on the sheet). The words
    of :func:`finished_flag_refusal`, for a crossing."""
    return (
        f"Not timed: the session is finished ({FINISHED_WHY[how]}); every result is final. "
        f"{CROSSING_AFTER_FINISH[how]}; File ▸ New session… times a new one."
    )


def finished_crossing_status(how: str) -> str:
    """:func:`finished_crossing_refusal` in the status bar's words (read whole at 1280 px)."""
    return (
        f"Not timed: the session is finished ({FINISHED_WHY[how]}). "
        "A missed lap: right-click the car ▸ Insert a missed lap…"
    )


def moment_text(start_ms: int | None, ms: int) -> str:
    """A moment as the header's clock reads it, to the thousandth and said on which clock:
    ``0:00:23.043 since green`` after the green, ``0:00:28.043 session time`` before it (or
    with none). The one home of the times the operator reads beside the header: the entry
    panel said a held crossing was "at 0:00:28.043" (session time) while the header read
    "since green 0:00:23", and the two could not be matched."""
    if start_ms is None or ms < start_ms:
        return f"{format_session_time(ms)} {clock_origin_of(None)}"
    return f"{format_session_time(ms - start_ms)} {clock_origin_of(start_ms)}"


def clock_origin_of(start_ms: int | None) -> str:
    """What a clock counts from: ``session time`` before the green, ``since green`` after."""
    return "session time" if start_ms is None else "since green"


def remaining_text(engine: TimingEngine, now_ms: int, told: int | None = None) -> str:
    """What remains: "6 laps to go · stage 2 ends in 3", "0:12:00 to go", "Finished" or "";
    a race gone on past its distance, how far ("1 lap past distance (10 laps)":
    :func:`format_distance_left`).

    ``told``: the laps to go the timing system sends, shown when the session has no laps of
    its own (a feed followed). "Finished" once every car is in after the finish, or the session
    is ended (the timing system's end or the operator's: nothing of it remains); "Checkered"
    from the finish while a car is still out."""
    settings = engine.settings
    if engine.all_in:
        return "Finished"
    if engine.over:
        return "Checkered"  # a car is still out (the title reads CHECKERED)
    if told is not None and not settings.race_laps:
        return f"{format_laps_to_go(told)}{TOLD_SUFFIX}"
    laps = engine.laps_to_go()
    if laps is not None and settings.race_laps:
        done = engine.leader_laps()
        text = format_distance_left(settings.race_laps, done)
        stage = next((lap for lap in settings.stage_laps if lap > done), None)
        if stage is not None:
            number = settings.stage_laps.index(stage) + 1
            text += f" · stage {number} ends in {stage - done}"
        return text
    time_left = engine.time_to_go_ms(now_ms)
    if time_left is not None:
        return f"{format_clock(time_left)} to go"
    return ""
