"""After the action: the follow-up emails, "Did you make it?", the host's report and its photos, and
what the action's and the campaign's pages show of reports."""

import datetime
import io
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from actions.models import Action, MailKind, OutgoingMail, Signup
from actions.tokens import manage_token
from hosting import photos, services
from hosting.models import ActionReport, Host, ReportPhoto
from hosting.querysets import campaign_totals
from hosting.tokens import host_token
from tests.factories import ActionFactory, CampaignFactory, CityFactory, SignupFactory, local

pytestmark = [
    pytest.mark.django_db,
    # The bombs: Pillow warns of those under twice its limit, which prepared() then refuses.
    pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
]

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


# --- Images made for the tests ----------------------------------------------------------------


def jpeg(size=(2400, 1800), *, orientation=None, gps=True, comment=b"", colour="red") -> bytes:
    """A phone's photo: left half blue, with EXIF (camera, GPS position, orientation) and a comment."""
    image = Image.new("RGB", size, colour)
    image.paste((0, 0, 255), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Phone 15"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (14.0, 54.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "W",
            ExifTags.GPS.GPSLongitude: (92.0, 15.0, 40.0),
        }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=comment or None)
    return out.getvalue()


def png(size=(40, 30), mode="RGBA", colour=(0, 128, 0, 0)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "PNG")
    return out.getvalue()


def noise_jpeg(kilobytes: int) -> bytes:
    """A JPEG of about `kilobytes` KB or more: random pixels do not compress."""
    side = 64
    while True:
        image = Image.frombytes("RGB", (side, side), _random_bytes(side * side * 3))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=95)
        if out.tell() >= kilobytes * 1024:
            return out.getvalue()
        side = side * 5 // 4


def _random_bytes(n: int) -> bytes:
    import random

    return random.Random(n).randbytes(n)


def png_bomb(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels (a decompression bomb: a few bytes that
    would decode to gigabytes); its data is a token few bytes, as a bomb's compress to almost nothing."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def has_gps_or_exif(data: bytes) -> bool:
    image = Image.open(io.BytesIO(data))
    return b"Exif" in data or bool(image.getexif()) or "exif" in image.info or b"PhoneMaker" in data


# --- photos.prepared ----------------------------------------------------------------------------


def test_a_photo_loses_its_exif_and_gps_and_is_turned_upright_and_resized(settings):
    original = jpeg((2400, 1800), orientation=6, comment=b"taken at home")
    assert b"PhoneMaker" in original and Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    data, width, height = photos.prepared(upload("IMG_0001.jpg", original))
    assert not has_gps_or_exif(data) and b"taken at home" not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and image.mode == "RGB"
    # Orientation 6: the camera was turned a quarter; upright, the photo is taller than wide.
    assert (width, height) == image.size == (settings.REPORT_PHOTO_MAX_SIDE * 3 // 4, settings.REPORT_PHOTO_MAX_SIDE)
    blue, red = image.getpixel((width // 2, 10)), image.getpixel((width // 2, height - 10))
    assert blue[2] > 200 > blue[0] and red[0] > 200 > red[2]  # the left half is now on top


def test_a_small_photo_keeps_its_size_and_transparency_becomes_white():
    data, width, height = photos.prepared(upload("logo.png", png((40, 30)), "image/png"))
    image = Image.open(io.BytesIO(data))
    assert (width, height) == (40, 30) and image.format == "JPEG"
    assert min(image.getpixel((20, 15))) > 245


@pytest.mark.parametrize("mode", ["P", "LA", "I;16", "1", "L"])
def test_a_png_of_any_mode_becomes_an_rgb_jpeg(mode):
    out = io.BytesIO()
    Image.new(mode, (30, 20)).save(out, "PNG")
    data, width, height = photos.prepared(upload(f"{mode}.png", out.getvalue(), "image/png"))
    assert (width, height) == (30, 20) and Image.open(io.BytesIO(data)).mode == "RGB"


def test_a_colour_profile_is_applied_and_dropped():
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 30, 30)).save(out, "JPEG", icc_profile=profile)
    assert "icc_profile" in Image.open(io.BytesIO(out.getvalue())).info
    data, _width, _height = photos.prepared(upload("p3.jpg", out.getvalue()))
    image = Image.open(io.BytesIO(data))
    assert "icc_profile" not in image.info and image.getpixel((15, 10))[0] > 180


def test_a_webp_is_taken():
    out = io.BytesIO()
    Image.new("RGB", (50, 20), "blue").save(out, "WEBP")
    assert photos.prepared(upload("a.webp", out.getvalue(), "image/webp"))[1:] == (50, 20)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("notes.jpg", b"This is a text file, not a photo.\n" * 20, "not_an_image"),
        ("animation.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "not_an_image"),
        ("cut.jpg", jpeg((200, 200))[:300], "not_an_image"),
        ("bomb.png", png_bomb(10_000, 10_000), "too_many_pixels"),  # over MAX_IMAGE_PIXELS: Pillow only warns
        ("bigger-bomb.png", png_bomb(60_000, 60_000), "too_many_pixels"),  # over twice: Pillow refuses
    ],
)
def test_what_is_not_a_photo_is_refused_with_its_name(name, content, code):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        photos.prepared(upload(name, content))
    assert refused.value.code == code and name in refused.value.messages[0]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    from django.core.exceptions import ValidationError

    settings.REPORT_PHOTO_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as refused:
        photos.prepared(upload("huge.jpg", b"\xff\xd8" + b"\0" * (1024 * 1024)))
    assert refused.value.code == "too_big" and "huge.jpg” is larger than 1.0\xa0MB" in refused.value.messages[0]


# --- The host's report --------------------------------------------------------------------------


def held(**fields) -> Action:
    """A published action that took place: it ended an hour ago."""
    starts_at = (timezone.now() - 3 * HOUR).replace(second=0, microsecond=0)
    return ActionFactory(starts_at=starts_at, ends_at=starts_at + 2 * HOUR, **fields)


def host_of(action: Action, language="en", email="rosa@example.org", **fields) -> Host:
    return Host.objects.create(action=action, name="Rosa Pérez", email=email, language=language, **fields)


def report_url(host: Host, lang="en") -> str:
    return f"/{lang}/host/manage/{host_token(host)}/report/"


@pytest.fixture
def host():
    return host_of(held(title_en="Vigil for peace", title_es="Vigilia por la paz"))


FIELDS = {"turnout": "40", "press_url": "https://news.example.org/vigil", "notes": "A **great** evening."}


def test_the_report_opens_only_once_the_action_has_started(client):
    starts_at = timezone.now() + HOUR
    host = host_of(ActionFactory(starts_at=starts_at, ends_at=starts_at + HOUR))
    response = client.get(report_url(host))
    assert response.status_code == 200 and "The report opens when the action starts" in response.content.decode()
    assert 'name="turnout"' not in response.content.decode()
    response = client.post(report_url(host), FIELDS)
    assert response.status_code == 200 and not ActionReport.objects.exists()


def test_a_cancelled_action_has_no_report(client, host):
    Action.objects.filter(pk=host.action_id).update(status=Action.Status.CANCELLED)
    response = client.post(report_url(host), FIELDS)
    assert "nothing to report" in response.content.decode() and not ActionReport.objects.exists()


def test_the_host_reports_with_photos_stripped_of_their_exif(client, host):
    page = client.get(report_url(host))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert 'enctype="multipart/form-data"' in page.content.decode() and "csrfmiddlewaretoken" in page.content.decode()
    sent = [upload("one.jpg", jpeg(orientation=6)), upload("two.png", png((300, 200)), "image/png")]
    response = client.post(report_url(host), {**FIELDS, "photos": sent})
    assert response.status_code == 302 and response["Location"] == report_url(host) + "?done=saved"
    report = ActionReport.objects.get(action=host.action)
    assert (report.turnout, report.press_url, report.notes, report.host) == (
        40,
        "https://news.example.org/vigil",
        "A **great** evening.",
        host,
    )
    stored = list(report.photos.order_by("pk"))
    assert [(p.width, p.height) for p in stored] == [(1200, 1600), (300, 200)]
    for photo in stored:
        assert not has_gps_or_exif(bytes(photo.image)) and b"PhoneMaker" not in bytes(photo.image)
    saved = client.get(response["Location"]).content.decode()
    assert "Thank you! Your report is on the action’s page." in saved and 'value="40"' in saved


def test_the_host_reports_in_spanish(client):
    # Needs the compiled catalogue.
    host = host_of(held(title_es="Vigilia por la paz"), language="es")
    page = client.get(report_url(host, "es")).content.decode()
    assert "¿Cómo le fue?" in page and "¿Cuántas personas asistieron?" in page
    response = client.post(report_url(host, "es"), {**FIELDS, "turnout": "1.200"})
    assert response["Location"].startswith("/es/") and ActionReport.objects.get().turnout == 1200


@pytest.mark.parametrize(
    ("turnout", "expected"),
    [("1,200", 1200), ("1 200", 1200), ("35", 35), ("10000000", 10_000_000)],
)
def test_turnout_is_read_as_people_write_it(client, host, turnout, expected):
    assert client.post(report_url(host), {"turnout": turnout}).status_code == 302
    assert ActionReport.objects.get().turnout == expected


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"turnout": ""}, "turnout", "This field is required."),
        ({"turnout": "0"}, "turnout", "Enter at least 1"),
        ({"turnout": "1.5"}, "turnout", "Enter the number of people as digits"),
        ({"turnout": "many"}, "turnout", "Enter the number of people as digits"),
        ({"turnout": "10000001"}, "turnout", "at most 10000000"),
        ({"press_url": "ftp://example.org/file"}, "press_url", "Enter a web address"),
        ({"press_url": "javascript:alert(1)"}, "press_url", "Enter a web address"),
        ({"notes": "x" * 3001}, "notes", "at most 3000 characters"),
    ],
)
def test_bad_fields_get_a_message_beside_them_and_keep_the_rest(client, host, changes, field, message):
    response = client.post(report_url(host), {**FIELDS, **changes})
    assert response.status_code == 400 and not ActionReport.objects.exists()
    assert message in _field_errors(response, field)
    page = response.content.decode()
    assert "Please correct the fields marked below." in page
    for name, value in {**FIELDS, **changes}.items():
        if name != field:
            assert value.replace("*", "") in page.replace("*", "")


def test_a_press_link_without_a_scheme_is_taken_as_https(client, host):
    client.post(report_url(host), {**FIELDS, "press_url": "news.example.org/vigil"})
    assert ActionReport.objects.get().press_url == "https://news.example.org/vigil"


def _field_errors(response, field: str) -> str:
    """The text of the error list inside the field's own group (not the summary's)."""
    page = response.content.decode()
    group = re.search(rf'<div class="field">(?:(?!<div class="field">).)*?id="id_{field}"', page, re.S)
    assert group, f"no field group for {field}"
    errors = re.search(r'<ul class="errorlist"[^>]*>(.*?)</ul>', group.group(0), re.S)
    return errors.group(1) if errors else ""


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(
    ("make", "english", "spanish"),
    [
        (lambda: [upload("notes.jpg", b"Just some text.\n" * 50)], "is not a photo we can read", "No podemos leer"),
        (lambda: [upload("huge.jpg", noise_jpeg(70))], "is larger than", "pesa más de"),
        (
            lambda: [upload("bomb.png", png_bomb(20_000, 20_000), "image/png")],
            "too large in pixels",
            "demasiados píxeles",
        ),
        (lambda: [upload(f"p{n}.png", png(), "image/png") for n in range(5)], "there is room for 4 more", "4 más"),
    ],
    ids=["text-as-jpg", "too-big", "png-bomb", "too-many"],
)
def test_bad_uploads_get_a_message_beside_the_field_and_keep_the_typed_values(
    client, host, settings, lang, make, english, spanish
):
    # The Spanish messages need the compiled catalogue.
    settings.REPORT_PHOTO_MAX_BYTES = 64 * 1024
    response = client.post(report_url(host, lang), {**FIELDS, "photos": make()})
    assert response.status_code == 400 and not ActionReport.objects.exists() and not ReportPhoto.objects.exists()
    assert (english if lang == "en" else spanish) in _field_errors(response, "photos")
    page = response.content.decode()
    assert 'value="40"' in page and 'value="https://news.example.org/vigil"' in page and "A **great** evening." in page
    assert "choose them again" in page if lang == "en" else "elíjalas de nuevo" in page


def test_editing_the_report_keeps_its_photos_removes_those_ticked_and_stays_within_the_limit(client, host, settings):
    settings.REPORT_PHOTOS_MAX = 3
    client.post(report_url(host), {**FIELDS, "photos": [upload(f"p{n}.png", png(), "image/png") for n in range(3)]})
    first, second, third = ReportPhoto.objects.order_by("pk")
    page = client.get(report_url(host)).content.decode()
    assert page.count('name="remove_photos"') == 3 and f'src="/en/reports/photos/{first.pk}.jpg"' in page
    full = client.post(report_url(host), {**FIELDS, "photos": [upload("p.png", png(), "image/png")]})
    assert full.status_code == 400 and "the most it can have" in _field_errors(full, "photos")
    response = client.post(
        report_url(host),
        {
            **FIELDS,
            "turnout": "55",
            "remove_photos": [str(second.pk)],
            "photos": [upload("new.png", png(), "image/png")],
        },
    )
    assert response.status_code == 302
    kept = list(ReportPhoto.objects.order_by("pk").values_list("pk", flat=True))
    assert kept[:2] == [first.pk, third.pk] and len(kept) == 3 and ActionReport.objects.get().turnout == 55


def test_a_host_cannot_remove_another_reports_photo(client, host):
    other = host_of(held())
    services.report_save(action=other.action, host=other, turnout=5, photos=[photos.prepared(upload("a.png", png()))])
    theirs = ReportPhoto.objects.get()
    response = client.post(report_url(host), {**FIELDS, "remove_photos": [str(theirs.pk)]})
    assert response.status_code == 400 and ReportPhoto.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_bad_or_revoked_host_link_gets_the_404_page(client, host, lang):
    bad = client.get(f"/{lang}/host/manage/{host_token(host)[:-3]}xyz/report/")
    assert bad.status_code == 404
    services.host_revoke(host=host)
    revoked = client.post(report_url(host, lang), FIELDS)
    assert revoked.status_code == 404 and not ActionReport.objects.exists()
    if lang == "en":
        assert "This host link does not work" in bad.content.decode()
        assert "The coordinators closed this link" in revoked.content.decode()


def test_a_host_link_reports_on_its_own_action_only(client, host):
    other = held()
    client.post(report_url(host), FIELDS)
    assert ActionReport.objects.get().action == host.action and not ActionReport.objects.filter(action=other).exists()


def test_the_report_form_may_carry_its_photos_past_the_default_body_limit(client, host, settings):
    settings.REPORT_PHOTO_MAX_BYTES = 1024 * 1024
    photo = noise_jpeg(100)
    assert len(photo) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = client.post(report_url(host), {**FIELDS, "photos": [upload("big.jpg", photo)]})
    assert response.status_code == 302 and ReportPhoto.objects.count() == 1
    # Another form's URL keeps the default limit, and so does this one past its photos' total.
    other = client.post(f"/en/actions/{host.action.slug}/signup/", {"name": "x" * 70_000})
    assert other.status_code == 413
    settings.REPORT_PHOTO_MAX_BYTES = 10 * 1024
    too_big = client.post(report_url(host), {**FIELDS, "photos": [upload(f"{n}.jpg", photo) for n in range(2)]})
    assert too_big.status_code == 413


# --- The report's photos ------------------------------------------------------------------------


def test_a_photo_is_served_as_jpeg_with_a_long_public_cache(client, host):
    services.report_save(action=host.action, host=host, turnout=9, photos=[photos.prepared(upload("a.jpg", jpeg()))])
    photo = ReportPhoto.objects.get()
    response = client.get(f"/en/reports/photos/{photo.pk}.jpg")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "public" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert body == bytes(photo.image) and not has_gps_or_exif(body)
    assert not {"sessionid", "csrftoken"} & set(response.cookies)  # nothing of a visitor's


def test_a_photo_of_an_unpublished_action_is_not_found(client, host):
    services.report_save(action=host.action, host=host, turnout=9, photos=[photos.prepared(upload("a.png", png()))])
    photo = ReportPhoto.objects.get()
    Action.objects.filter(pk=host.action_id).update(status=Action.Status.DRAFT)
    assert client.get(f"/en/reports/photos/{photo.pk}.jpg").status_code == 404
    assert client.get(f"/en/reports/photos/{photo.pk + 1}.jpg").status_code == 404


# --- What the action's and the campaign's pages show ----------------------------------------------


def _report(action, turnout=40, n_photos=0, **fields):
    made = [photos.prepared(upload(f"{n}.png", png((400, 300)), "image/png")) for n in range(n_photos)]
    return services.report_save(action=action, host=None, turnout=turnout, photos=made, **fields)


@pytest.mark.parametrize(
    ("lang", "heading", "turnout", "alt"),
    [
        ("en", "Report from the hosts", "About 40 people came.", "Photo of Vigil for peace"),
        ("es", "Informe de quienes la organizaron", "Asistieron unas 40 personas.", "Foto de Vigilia por la paz"),
    ],
)
def test_the_report_shows_on_the_action_page(client, host, lang, heading, turnout, alt):
    # The Spanish case needs the compiled catalogue.
    action = host.action
    before = client.get(f"/{lang}/actions/{action.slug}/").content.decode()
    assert heading not in before and 'id="report-heading"' not in before
    _report(action, n_photos=2, press_url="https://news.example.org/vigil", notes="A **great** evening.")
    page = client.get(f"/{lang}/actions/{action.slug}/").content.decode()
    assert heading in page and turnout in page and "<strong>great</strong>" in page
    assert 'href="https://news.example.org/vigil"' in page
    first = ReportPhoto.objects.order_by("pk").first()
    assert re.search(
        rf'<img src="/{lang}/reports/photos/{first.pk}.jpg" width="400" height="300" alt="{alt}" loading="lazy">', page
    )


def test_the_action_page_costs_the_same_queries_with_a_report_and_its_photos(client, django_assert_max_num_queries):
    # The action with its city, campaign and seat counts; its hosts, demands, outcomes, report.
    bare, reported = held(), held()
    with django_assert_max_num_queries(5):
        assert client.get(f"/en/actions/{bare.slug}/").status_code == 200
    _report(reported, n_photos=1)
    with django_assert_max_num_queries(6):  # and the report's photos
        assert client.get(f"/en/actions/{reported.slug}/").status_code == 200
    _report(reported, n_photos=3)
    with django_assert_max_num_queries(6):
        page = client.get(f"/en/actions/{reported.slug}/").content.decode()
    assert page.count("/reports/photos/") == 8  # each of 4 photos: its link and its image


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "2 actions held · 150 people reported"),
        ("es", "2 acciones realizadas · 150 participantes según los informes"),
    ],
)
def test_the_campaign_page_adds_up_its_reports(client, lang, expected):
    # The Spanish case needs the compiled catalogue.
    campaign = CampaignFactory()
    url = f"/{lang}/campaigns/{campaign.slug}/"
    first, second, cancelled, draft = (held(campaign=campaign) for _ in range(4))
    assert 'class="totals"' not in client.get(url).content.decode()
    _report(first, turnout=40)
    _report(second, turnout=110)
    _report(cancelled, turnout=1000)
    _report(draft, turnout=1000)
    _report(held(), turnout=5000)  # another campaign's
    Action.objects.filter(pk=cancelled.pk).update(status=Action.Status.CANCELLED)
    Action.objects.filter(pk=draft.pk).update(status=Action.Status.DRAFT)
    assert expected in client.get(url).content.decode()


def test_campaign_totals_are_one_query_and_zero_without_reports(django_assert_num_queries):
    campaign = CampaignFactory()
    with django_assert_num_queries(1):
        assert campaign_totals(campaign) == {"actions_held": 0, "people": 0}
    for turnout in (3, 4):
        _report(held(campaign=campaign), turnout=turnout)
    with django_assert_num_queries(1):
        assert campaign_totals(campaign) == {"actions_held": 2, "people": 7}


def test_the_campaign_pages_totals_cost_one_query_however_many_reports(client, django_assert_max_num_queries):
    campaign = CampaignFactory()
    for _ in range(3):
        _report(held(campaign=campaign))
    with django_assert_max_num_queries(6):
        assert client.get(f"/en/campaigns/{campaign.slug}/").status_code == 200
    for _ in range(10):
        _report(held(campaign=campaign))
    with django_assert_max_num_queries(6):
        assert "13 actions held" in client.get(f"/en/campaigns/{campaign.slug}/").content.decode()


# --- "Did you make it?" -------------------------------------------------------------------------


def attendance_url(signup: Signup, lang="en") -> str:
    return f"/{lang}/signups/attendance/{manage_token(signup)}/"


@pytest.mark.parametrize(
    ("lang", "question", "yes", "no", "thanks", "told"),
    [
        ("en", "Did you make it to “Vigil for peace”?", "I was there", "I couldn’t make it", "Thank you!",
         "You told us you were there."),
        ("es", "¿Pudo asistir a «Vigilia por la paz»?", "Sí, asistí", "No pude asistir", "¡Gracias!",
         "Nos dijo que asistió."),
    ],
)  # fmt: skip
def test_did_you_make_it_records_only_on_post_and_can_be_changed(client, host, lang, question, yes, no, thanks, told):
    # The Spanish case needs the compiled catalogue.
    signup = SignupFactory(action=host.action, status=Signup.Status.CONFIRMED)
    url = attendance_url(signup, lang)
    page = client.get(url)
    text = page.content.decode()
    assert (
        page.status_code == 200 and "no-store" in page["Cache-Control"] and page["Referrer-Policy"] == "strict-origin"
    )
    assert question in text and yes in text and no in text and text.count('method="post"') == 1
    signup.refresh_from_db()
    assert signup.attendance == ""  # a mail scanner following the link answers nothing
    answered = client.post(url, {"answer": "attended"})
    assert answered.status_code == 302
    signup.refresh_from_db()
    assert signup.attendance == Signup.Attendance.ATTENDED
    after = client.get(answered["Location"]).content.decode()
    assert thanks in after and told in after and 'value="missed"' in after
    client.post(url, {"answer": "missed"})
    signup.refresh_from_db()
    assert signup.attendance == Signup.Attendance.MISSED


def test_did_you_make_it_refuses_a_made_up_answer(client, host):
    signup = SignupFactory(action=host.action, status=Signup.Status.CONFIRMED)
    response = client.post(attendance_url(signup), {"answer": "maybe"})
    assert response.status_code == 400 and "Choose one of the two buttons." in response.content.decode()
    signup.refresh_from_db()
    assert signup.attendance == ""


@pytest.mark.parametrize("status", [Signup.Status.PENDING, Signup.Status.WAITLISTED, Signup.Status.CANCELLED])
def test_did_you_make_it_is_only_for_confirmed_volunteers(client, host, status):
    signup = SignupFactory(action=host.action, status=status)
    response = client.post(attendance_url(signup), {"answer": "attended"})
    assert "This question is for volunteers whose place at the action was confirmed." in response.content.decode()
    signup.refresh_from_db()
    assert signup.attendance == ""


def test_did_you_make_it_waits_for_the_action_to_start(client):
    starts_at = timezone.now() + HOUR
    signup = SignupFactory(action=ActionFactory(starts_at=starts_at, ends_at=starts_at + HOUR), status="confirmed")
    response = client.post(attendance_url(signup), {"answer": "attended"})
    assert "The action has not started yet" in response.content.decode()
    signup.refresh_from_db()
    assert signup.attendance == ""


@pytest.mark.parametrize("lang", ["en", "es"])
def test_did_you_make_it_with_a_bad_link_gets_the_404_page(client, lang):
    response = client.get(f"/{lang}/signups/attendance/not-a-token/")
    assert response.status_code == 404
    assert ("This link does not work" if lang == "en" else "Este enlace no funciona") in response.content.decode()


# --- The follow-up emails -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "country", "not_yet", "due"),
    [
        # Chicago in July is on daylight time, UTC-5: 10:00 CDT is 15:00 UTC.
        ("America/Chicago", "US", datetime.datetime(2027, 7, 1, 14, 59, tzinfo=datetime.UTC),
         datetime.datetime(2027, 7, 1, 15, 0, tzinfo=datetime.UTC)),
        # Mexico City has kept UTC-6 all year since 2022: at 15:00 UTC it is only 9:00.
        ("America/Mexico_City", "MX", datetime.datetime(2027, 7, 1, 15, 0, tzinfo=datetime.UTC),
         datetime.datetime(2027, 7, 1, 16, 0, tzinfo=datetime.UTC)),
    ],
)  # fmt: skip
def test_follow_ups_go_the_day_after_at_the_local_hour_once(zone, country, not_yet, due, settings):
    settings.FOLLOW_UP_HOUR = 10
    city = CityFactory(time_zone=zone, country=country)
    action = ActionFactory(
        city=city, starts_at=local(2027, 6, 30, 18, 0, zone), ends_at=local(2027, 6, 30, 20, 0, zone)
    )
    confirmed = [SignupFactory(action=action, status=Signup.Status.CONFIRMED) for _ in range(2)]
    for status in (Signup.Status.PENDING, Signup.Status.WAITLISTED, Signup.Status.CANCELLED):
        SignupFactory(action=action, status=status)
    active = host_of(action)
    host_of(action, email="luis@example.org")  # a co-host
    host_of(action, email="gone@example.org", revoked_at=timezone.now())

    assert services.follow_ups_send(now=local(2027, 6, 30, 23, 0, zone)) == 0  # the same evening
    assert services.follow_ups_send(now=not_yet) == 0
    assert not OutgoingMail.objects.exists()
    assert services.follow_ups_send(now=due) == 1
    follow_ups = OutgoingMail.objects.filter(kind=MailKind.FOLLOW_UP)
    assert sorted(follow_ups.values_list("signup_id", flat=True)) == sorted(s.pk for s in confirmed)
    reports = OutgoingMail.objects.filter(kind=MailKind.HOST_REPORT)
    assert sorted(reports.values_list("recipient", flat=True)) == ["luis@example.org", active.email]
    assert services.follow_ups_send(now=due + HOUR) == 0
    assert OutgoingMail.objects.count() == 4
    action.refresh_from_db()
    assert action.followed_up_at == due


def test_the_follow_up_link_leads_to_the_page_that_records_the_answer(client, mailoutbox, committed):
    action = held(title_en="Vigil for peace", title_es="Vigilia por la paz")
    signup = SignupFactory(action=action, status=Signup.Status.CONFIRMED, language="es", email="ana@example.org")
    host = host_of(action, language="en")
    with committed():
        assert services.follow_ups_send(now=action.local_ends_at.replace(hour=23) + DAY) == 1
    by_address = {message.to[0]: message for message in mailoutbox}
    volunteer, host_email = by_address["ana@example.org"], by_address[host.email]
    assert "Vigilia por la paz" in volunteer.subject
    link = re.search(r"https?://\S+(/es/signups/attendance/\S+/)", volunteer.body).group(1)
    assert "ana@example.org" not in link
    assert 'value="attended"' in client.get(link).content.decode()
    client.post(link, {"answer": "attended"})
    signup.refresh_from_db()
    assert signup.attendance == Signup.Attendance.ATTENDED
    report_link = re.search(r"https?://\S+(/en/host/manage/\S+/report/)", host_email.body).group(1)
    assert 'name="turnout"' in client.get(report_link).content.decode()


def test_log_lines_hide_the_tokens_of_the_report_and_attendance_links(client, host):
    import logging

    from common.logs import RedactTokens

    signup = SignupFactory(action=host.action, status=Signup.Status.CONFIRMED)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactTokens())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.post(report_url(host), {"turnout": "0"})  # 400s, which Django logs with their path
        client.post(attendance_url(signup), {"answer": "maybe"})
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue() == "Bad Request: /en/host/manage/…/report/\nBad Request: /en/signups/attendance/…/\n"
