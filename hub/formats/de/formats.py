"""Input formats of the admin's date fields: the German notation with four-digit years.

Django's German defaults also read `%d.%m.%y`, where `9.12.69` is 1969; the admin shows
and expects `TT.MM.JJJJ` only (WAGTAIL_DATE_FORMAT). ISO input stays readable: Django
adds its ISO formats to every input format list. Display formats remain Django's.
"""

DATE_INPUT_FORMATS = ["%d.%m.%Y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S"]
