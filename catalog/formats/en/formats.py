# British-style dates for the English interface ("24 December 1910"), the form
# used in Kazakhstan's English-language documents.
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "d.m.Y"
TIME_FORMAT = "H:i"
