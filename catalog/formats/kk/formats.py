# Kazakh dates as Kazakh official texts write them: year first ("1943 ж. 1 қазан",
# "1943 ж. қазан"), 24-hour time. Django ships no Kazakh format module. Month names
# come from Django's Kazakh translation, capitalised: heroes.dates.format_date lowers
# them, as Kazakh writes month names in running text.
DATE_FORMAT = r"Y \ж. j F"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"Y \ж. j F, H:i"
YEAR_MONTH_FORMAT = r"Y \ж. F"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
