"""How a place's name is matched: without accents, case or punctuation, abbreviations spelled out."""

import re
import unicodedata

# Abbreviations that GeoNames' names spell out and people write short: "Cd. Juárez", "Sta. Rosa",
# "St. Louis", "Ft. Worth", "Gral. Escobedo".
ABBREVIATIONS = {
    "cd": "ciudad",
    "sta": "santa",
    "sto": "santo",
    "sn": "san",
    "gral": "general",
    "pto": "puerto",
    "st": "saint",
    "ste": "sainte",
    "ft": "fort",
    "mt": "mount",
}
WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """`text` in lowercase without accents or other marks: "Juárez" -> "juarez", "Ñuñoa" -> "nunoa"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_key(text: str) -> str:
    """The key a name is found by: folded, its words (Latin letters and digits) joined by one space,
    abbreviations spelled out. "Cd. Juárez" and "Ciudad Juarez" -> "ciudad juarez"; a name in another
    script -> ""."""
    return " ".join(ABBREVIATIONS.get(word, word) for word in WORD.findall(fold(text)))
