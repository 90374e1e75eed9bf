"""Entry lists as registration exports them: header variants, encodings, bad rows."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from timingboard.engine.events import CompetitorSet
from timingboard.store.entry_list import (
    Column,
    EntryList,
    EntryListError,
    changes,
    in_number_order,
    parse_csv,
    read_header,
    split_transponders,
    write_csv,
)

CLUB_EXPORT = (
    "\ufeffCar No.,First Name,Last Name,Team,Vehicle,Class,Transponder(s),Grid\r\n"
    "31,Justin,Haley,Kaulig Racing,Chevrolet,Cup,1031,1\r\n"
    "8,Kyle,Busch,Richard Childress Racing,Chevrolet,Cup,1008 / 2008,2\r\n"
    "\r\n"
    "16,AJ,Allmendinger,Kaulig Racing,Chevrolet,Cup,1016,\r\n"
)


def test_a_utf8_export_with_bom_and_a_blank_line_reads_every_entry():
    found = parse_csv(CLUB_EXPORT.encode("utf-8"))
    assert found.problems == []
    assert [e.car for e in found.entries] == ["31", "8", "16"]
    haley = found.entries[0]
    assert (haley.driver, haley.team, haley.make, haley.car_class) == (
        "Justin Haley",
        "Kaulig Racing",
        "Chevrolet",
        "Cup",
    )
    assert haley.grid == 1 and haley.key == "31"
    assert found.entries[1].transponders == ("1008", "2008")
    assert found.entries[2].grid is None
    assert found.class_names == ["Cup"]


def test_a_cp1252_semicolon_list_in_another_order_keeps_its_accents():
    text = (
        "Klasse;Nachname;Vorname;Nr;Marke\r\n"
        "GT3;Böhnemann;Jörg;77;Porsche\r\n"
        "GT4;Müller;René;5;BMW\r\n"
    )
    found = parse_csv(text.encode("cp1252"))
    assert [(e.car, e.driver, e.make, e.car_class) for e in found.entries] == [
        ("77", "Jörg Böhnemann", "Porsche", "GT3"),
        ("5", "René Müller", "BMW", "GT4"),
    ]


@pytest.mark.parametrize("header", ["#", "No", "Number", "car", "CAR #", "Kart"])
def test_the_number_column_goes_by_many_names(header):
    found = parse_csv(f"{header},Driver\n31,Justin Haley\n".encode())
    assert [(e.car, e.driver) for e in found.entries] == [("31", "Justin Haley")]


def test_bad_rows_are_listed_with_their_reason_and_the_good_ones_kept_apart():
    text = "No,Driver,Grid\n31,Haley,1\n31,Somebody,\n,Nobody,\n8,Busch,1\n9,Bell,x\n24,Byron,2\n"
    found = parse_csv(text.encode())
    assert [e.car for e in found.entries] == ["31", "24"]
    reasons = [(p.line, p.reason) for p in found.problems]
    assert reasons == [
        (3, "duplicate number 31 (first on line 2)"),
        (4, "empty number"),
        (5, "grid slot 1 is taken by 31"),
        (6, "grid 'x' is not a slot from 1 to 999"),
    ]
    assert "4 bad rows" in found.summary() and "line 4: empty number" in found.summary()


def test_a_list_without_a_number_column_is_refused_whole():
    with pytest.raises(EntryListError, match="no car number column"):
        parse_csv(b"Driver,Team\nHaley,Kaulig\n")
    with pytest.raises(EntryListError, match="empty"):
        parse_csv(b"\n\n")
    with pytest.raises(EntryListError, match="not text"):
        parse_csv(b"No\x00,Driver\n")


def test_an_unknown_header_is_reported_and_a_mapping_reads_it():
    data = b"Startnummer,Pilot,Rennstall\n31,Justin Haley,Kaulig\n"
    assert read_header(data) == ["Startnummer", "Pilot", "Rennstall"]
    found = parse_csv(data)
    assert found.unknown_headers == ["Pilot", "Rennstall"]  # Startnummer: a number
    assert found.entries[0].driver == ""
    mapped = parse_csv(data, {"Pilot": Column.DRIVER, "Rennstall": Column.TEAM})
    assert mapped.unknown_headers == []
    assert (mapped.entries[0].driver, mapped.entries[0].team) == ("Justin Haley", "Kaulig")


def test_export_reads_back_the_same_entries_in_number_order():
    found = parse_csv(CLUB_EXPORT.encode())
    out = io.StringIO()
    write_csv(found.entries, out)
    assert out.getvalue().splitlines()[1].startswith("8,Kyle,Busch,")
    again = parse_csv(out.getvalue().encode())
    assert sorted(again.entries, key=lambda e: e.car) == sorted(found.entries, key=lambda e: e.car)


def test_a_first_name_typed_alone_is_exported_as_the_first_name_and_reads_back_so():
    """ "Ty", typed as a first name with the last still to come, is not a last name "Ty"."""
    ty = CompetitorSet(key="7", car="7", driver="Ty", first_name_only=True)
    out = io.StringIO()
    write_csv([ty], out)
    assert out.getvalue().splitlines()[1].startswith("7,Ty,,")
    (again,) = parse_csv(out.getvalue().encode()).entries
    assert (again.driver, again.first_name_only) == ("Ty", True)


def test_number_order_is_the_order_a_person_reads():
    cars = [CompetitorSet(key=n, car=n) for n in ["31", "8", "10", "2", "08", "31X", "A"]]
    assert [c.car for c in in_number_order(cars)] == ["2", "8", "08", "10", "31", "31X", "A"]


def test_unknown_classes_are_created_in_the_order_named():
    listed = EntryList()
    listed.add_classes(["Cup"])
    made = listed.add_classes(["GT3", "cup", "GT4", "GT3"])
    assert [c.name for c in made] == ["GT3", "GT4"]
    assert [(c.name, c.order) for c in listed.classes] == [("Cup", 1), ("GT3", 2), ("GT4", 3)]
    assert len({c.colour for c in listed.classes}) == 3


def test_an_import_into_a_session_sends_only_new_and_changed_entries():
    haley = CompetitorSet(key="31", car="31", driver="Justin Haley")
    feed_busch = CompetitorSet(key="reg8", car="8", driver="K. Busch")
    incoming = [haley, CompetitorSet(key="8", car="8", driver="Kyle Busch")]
    incoming.append(CompetitorSet(key="16", car="16", driver="AJ Allmendinger"))
    sent = changes({"31": haley, "reg8": feed_busch}, incoming)
    assert [(e.key, e.driver) for e in sent] == [("reg8", "Kyle Busch"), ("16", "AJ Allmendinger")]


def test_transponders_split_on_any_separator_once_each():
    assert split_transponders("1031 / 2031;1031, 3031|4031") == ("1031", "2031", "3031", "4031")


@given(st.binary(max_size=400))
def test_random_bytes_never_raise_anything_but_a_clear_error(data):
    try:
        found = parse_csv(data)
    except EntryListError:
        return
    numbers = [e.car for e in found.entries]
    assert len(numbers) == len(set(numbers))
    assert all(numbers)
