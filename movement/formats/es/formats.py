# "30 de junio de 2023, 18:00 CST": the zone abbreviation (T) always follows a time.
DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "H:i T"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i T"
SHORT_DATE_FORMAT = r"j M Y"
MONTH_DAY_FORMAT = r"j \d\e F"
