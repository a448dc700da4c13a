"""Photos a host uploads with their report, made safe to publish: decoded with Pillow only if they
are a JPEG, PNG or WebP image of sane dimensions, then drawn afresh as a JPEG that carries nothing
but the pixels. A phone's photo says in its EXIF where it was taken (GPS), when, and with which
device; none of that reaches the page."""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Pillow's names of the formats we take, as Image.format reads them from the file's bytes (not its name).
FORMATS = ("JPEG", "PNG", "WEBP")
CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp")
JPEG_QUALITY = 85
# 50 megapixels: more than a phone's photo (48 MP at most), and decoded at most 200 MB each.
MAX_PIXELS = 50_000_000
RESIZABLE = ("RGB", "RGBA", "L", "LA", "CMYK")

NOT_AN_IMAGE = _("“%(name)s” is not a photo we can read. Choose a JPEG, PNG or WebP image.")
TOO_BIG = _("“%(name)s” is larger than %(size)s. Choose a smaller photo.")
TOO_MANY_PIXELS = _("“%(name)s” is too large in pixels to be a photo. Choose a smaller image.")

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _refuse(message, upload, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params={"name": getattr(upload, "name", "") or "?", **params})


def prepared(upload) -> tuple[bytes, int, int]:
    """`upload` (an uploaded file, or any binary file object) as (JPEG bytes, width, height): turned
    upright as its EXIF orientation says, in sRGB without transparency, at most
    REPORT_PHOTO_MAX_SIDE pixels on its longer side, quality 85, without EXIF, XMP, ICC profile or
    comment. Raises ValidationError (in the current language) for a file over REPORT_PHOTO_MAX_BYTES,
    one that is not a JPEG, PNG or WebP image, or an image of more than max_pixels() pixels (a
    decompression bomb: a few KB that would decode to gigabytes)."""
    max_bytes = settings.REPORT_PHOTO_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _refuse(TOO_BIG, upload, "too_big", size=filesizeformat(max_bytes))
    try:
        upload.seek(0)
        with Image.open(upload, formats=FORMATS) as probe:
            _check_pixels(probe, upload)
            probe.verify()  # the whole file's structure, without decoding it; the image is then spent
        upload.seek(0)
        with Image.open(upload, formats=FORMATS) as image:
            _check_pixels(image, upload)
            return _redrawn(image)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise _refuse(TOO_MANY_PIXELS, upload, "too_many_pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        # verify() reports a broken PNG as SyntaxError; a truncated file fails to decode with OSError.
        raise _refuse(NOT_AN_IMAGE, upload, "not_an_image") from None


def _check_pixels(image: Image.Image, upload) -> None:
    """Refuse past MAX_PIXELS, read from the header: Pillow itself only warns up to twice its own limit."""
    if image.width * image.height > max_pixels():
        raise _refuse(TOO_MANY_PIXELS, upload, "too_many_pixels")


def max_pixels() -> int:
    """The most pixels a photo may have: Pillow's limit (Image.MAX_IMAGE_PIXELS, about 89 million),
    or MAX_PIXELS if lower, since four of them are decoded in one request."""
    return min(Image.MAX_IMAGE_PIXELS or MAX_PIXELS, MAX_PIXELS)


def _redrawn(image: Image.Image) -> tuple[bytes, int, int]:
    side = settings.REPORT_PHOTO_MAX_SIDE
    if image.mode not in RESIZABLE:
        image = image.convert("RGBA")  # palettes, 1-bit and 16-bit modes resize badly, or not at all
    # Before turning it upright: a JPEG then decodes at a fraction of its size (draft mode), and a
    # quarter turn keeps the longer side's length.
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    upright = ImageOps.exif_transpose(image)
    upright = _in_srgb(upright, image.info.get("icc_profile"))
    # Drawn on a new image, which has no `info`: Pillow's JPEG writer copies a source's comment.
    clean = Image.new("RGB", upright.size, "white")
    if "A" in upright.getbands():
        with_alpha = upright.convert("RGBA")
        clean.paste(with_alpha, mask=with_alpha.getchannel("A"))  # transparency on white, not black
    else:
        clean.paste(upright.convert("RGB"))
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), clean.width, clean.height


def _in_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """The colours of a photo with its own profile (a phone's Display P3) as sRGB, which the browser
    assumes once the profile is dropped. Left as they are if the profile cannot be read."""
    if not icc_profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted or image
