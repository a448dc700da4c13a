# A time is always followed by its zone's abbreviation: actions.localtime.zoned_text() adds it.
DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "F j, Y, g:i A"
SHORT_DATE_FORMAT = "M j, Y"
MONTH_DAY_FORMAT = "F j"
