"""One URL of every public page type, from the June 30 data (`manage.py load_june30`), with {lang}
for the language: what the tests visit (tests/movement/test_public_pages.py, test_page_cache.py...) and the
page-weight benchmark weighs (bench/page_weight.py). Add a page type here and both see it."""

# The pages anyone may read, the same for every visitor (so, page-cached).
PAGES = [
    "/{lang}/",
    "/{lang}/actions/",
    "/{lang}/actions/june-30-2023-tapachula/",
    "/{lang}/actions/june-30-2023-online/",
    "/{lang}/cities/new-york/",
    "/{lang}/campaigns/",
    "/{lang}/campaigns/june-30-2023/",
    "/{lang}/demands/",
    "/{lang}/demands/justice-ciudad-juarez-fire/",
    "/{lang}/outcomes/",
    "/{lang}/outcomes/cndh-recommendation-ciudad-juarez-fire/",
    "/{lang}/privacy/",
    "/embed/{lang}/campaigns/june-30-2023/",
]
# The same list pages, filtered.
FILTERED_PAGES = [
    "/{lang}/actions/?when=all",
    "/{lang}/actions/?when=past&country=MX",
    "/{lang}/outcomes/?country=MX&demand=justice-ciudad-juarez-fire",
]
# A volunteer's way in: the signup form (it carries a CSRF token, so it is never cached) and the page
# after it.
SIGNUP_PAGES = [
    "/{lang}/actions/june-30-2023-tapachula/signup/",
    "/{lang}/actions/june-30-2023-tapachula/signup/sent/",
]
