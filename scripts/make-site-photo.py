#!/usr/bin/env python3
"""Makes crates/testkit/fixtures/site-photo.jpg: a photo-like 1600 x 1200 JPEG (sky, ground,
a wall with noise, as a phone would take at a site) with the EXIF a phone writes:
DateTimeOriginal 2024:03:01 09:30:15 (OffsetTimeOriginal +08:00), GPS 36°10'30" N
116°45'36" E (36.175, 116.76: Feicheng, Tai'an), and orientation 6 (the camera was turned:
shown upright, the picture is 1200 wide and 1600 high).

Usage: pip install pillow piexif && scripts/make-site-photo.py [OUT] [--size-mb N]
With --size-mb it makes a larger photo (noisier, bigger) of about N MB instead, for
scripts/bench.py. Not a project dependency; run once, commit the result.
"""
import io, sys

from PIL import Image, ImageDraw, ImageFilter
import piexif


def exif_bytes(orientation=6):
    zeroth = {piexif.ImageIFD.Make: b"Anze", piexif.ImageIFD.Model: b"fixture", piexif.ImageIFD.Orientation: orientation}
    ex = {
        piexif.ExifIFD.DateTimeOriginal: b"2024:03:01 09:30:15",
        piexif.ExifIFD.OffsetTimeOriginal: b"+08:00",
    }
    gps = {
        piexif.GPSIFD.GPSLatitudeRef: b"N",
        piexif.GPSIFD.GPSLatitude: ((36, 1), (10, 1), (30, 1)),
        piexif.GPSIFD.GPSLongitudeRef: b"E",
        piexif.GPSIFD.GPSLongitude: ((116, 1), (45, 1), (36, 1)),
    }
    return piexif.dump({"0th": zeroth, "Exif": ex, "GPS": gps, "thumbnail": None})


def scene(w, h, noise):
    img = Image.new("RGB", (w, h))
    px = img.load()
    horizon = int(h * 0.45)
    for y in range(h):
        for x in range(0, w):
            if y < horizon:
                base = (120 + y * 80 // horizon, 160 + y * 60 // horizon, 230)
            else:
                t = (y - horizon) * 100 // (h - horizon)
                base = (110 + t // 2, 100 + t // 3, 80)
            px[x, y] = base
    d = ImageDraw.Draw(img)
    d.rectangle([w // 5, h // 4, w * 3 // 5, h * 3 // 4], fill=(170, 165, 150), outline=(60, 60, 60), width=6)
    d.rectangle([w // 3, h // 2, w // 3 + w // 10, h * 3 // 4], fill=(90, 70, 50))
    d.rectangle([w * 2 // 3, h // 3, w * 2 // 3 + w // 12, h // 3 + h // 5], fill=(200, 40, 30))
    img = img.filter(ImageFilter.GaussianBlur(1.5))
    n = Image.effect_noise((w, h), noise).convert("RGB")
    img = Image.blend(img, n, 0.12 if noise < 40 else 0.35)
    return img


def main():
    args = sys.argv[1:]
    size_mb = None
    if "--size-mb" in args:
        i = args.index("--size-mb"); size_mb = float(args[i + 1]); del args[i:i + 2]
    out = args[0] if args else "crates/testkit/fixtures/site-photo.jpg"
    if size_mb is None:
        img = scene(1600, 1200, 20)
        img.save(out, "JPEG", quality=82, exif=exif_bytes())
    else:
        # A 12 MP phone photo with heavy sensor noise compresses to several MB.
        img = scene(4000, 3000, 128)
        for q in range(95, 30, -3):
            buf = io.BytesIO(); img.save(buf, "JPEG", quality=q, exif=exif_bytes(1))
            if buf.tell() <= size_mb * 1_000_000 * 1.05:
                break
        open(out, "wb").write(buf.getvalue())
    print(out, open(out, "rb").seek(0, 2), "bytes")


if __name__ == "__main__":
    main()
