# "June 30, 2023, 6:00 PM CDT": the zone abbreviation (T) always follows a time.
DATE_FORMAT = "F j, Y"
TIME_FORMAT = "g:i A T"
DATETIME_FORMAT = "F j, Y, g:i A T"
SHORT_DATE_FORMAT = "M j, Y"
MONTH_DAY_FORMAT = "F j"
