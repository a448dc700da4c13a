# A time is always followed by its zone's abbreviation: actions.localtime.zoned_text() adds it.
DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
SHORT_DATE_FORMAT = r"j M Y"
MONTH_DAY_FORMAT = r"j \d\e F"
