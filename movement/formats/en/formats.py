# A time is always followed by its zone's abbreviation. Action times go through
# actions.localtime.zoned_text(), which also names the zone in the repeated fall-back hour.
DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "F j, Y, g:i A T"
SHORT_DATE_FORMAT = "M j, Y"
MONTH_DAY_FORMAT = "F j"
