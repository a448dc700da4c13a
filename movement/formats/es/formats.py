# A time is always followed by its zone's abbreviation. Action times go through
# actions.localtime.zoned_text(), which also names the zone in the repeated fall-back hour.
DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i T"
SHORT_DATE_FORMAT = r"j M Y"
MONTH_DAY_FORMAT = r"j \d\e F"
# Mexico writes decimals with a point, as the US does ("1.5 km"); Spain's comma would misread there.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
