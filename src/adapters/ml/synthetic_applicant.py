"""The made-up parts of a historical applicant: what our form requires and public data lacks.

Public credit data sets are anonymous: no name, contact, national id or address, and an age
instead of a date of birth. Our form requires all of them, so each historical row gets them
synthesised here, deterministically from its data set and row number and obviously fake, so
that nobody can mistake one for a person and two loads give equal forms:

| field                   | value (row 123 of credit_data, tag "CD")                         |
|-------------------------|------------------------------------------------------------------|
| first_name, last_name   | "Applicant", "CD 000123"                                          |
| email                   | "applicant.cd.000123@example.com" (a domain reserved by RFC 2606) |
| phone                   | "+00 0000000123" (country code 00 does not exist)                 |
| national_id             | "SYNTHETIC-CD-000123"                                             |
| street, city, postal    | "123 Example Street", "Exampletown", "00000"                      |
| date_of_birth           | a day such that the applicant has the recorded age on `as_of`     |

The date of birth is the one synthesised value a model could learn from; it only restates the
recorded age, which is protected, and `date_of_birth` is on the protected list as well.
"""

from __future__ import annotations

from datetime import date, timedelta

from domain.credit.application import Address, PersonalInfo

#: The day on which each applicant has the age the data set records. The data sets carry no
#: dates, so their loans are treated as granted on this day; any later import date only makes
#: the applicants older (still well within the form's age limits).
AS_OF = date(2025, 1, 1)


def date_of_birth(age: int, row: int, as_of: date = AS_OF) -> date:
    """A birthday spread over the year by row number, on which the applicant is `age` on
    `as_of`: between a year less a day and no day before `as_of`, `age` years back."""
    latest = _years_before(as_of, age)
    return latest - timedelta(days=(row * 37) % 365)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def personal_info(tag: str, row: int, age: int, as_of: date = AS_OF) -> PersonalInfo:
    number = f"{row:06d}"
    return PersonalInfo(
        first_name="Applicant",
        last_name=f"{tag} {number}",
        date_of_birth=date_of_birth(age, row, as_of),
        email=f"applicant.{tag.lower()}.{number}@example.com",
        phone=f"+00 {row:010d}",
        national_id=f"SYNTHETIC-{tag}-{number}",
    )


def address(row: int, country: str) -> Address:
    return Address(
        street=f"{row} Example Street", city="Exampletown", postal_code="00000", country=country
    )
