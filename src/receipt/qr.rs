//! Reading a BAST's QR code from a scan or a phone photo: ZXing's detector (through rxing),
//! which finds a code turned to any angle, seen at a slant, blurred or JPEG-compressed. The
//! picture's size is checked from its header before it is decoded.

use crate::error::{Error, Result};
use std::io::Cursor;

/// The largest picture decoded: a 48-megapixel phone photo. Larger is refused as such.
pub const MAX_PIXELS: u64 = crate::limits::PICTURE_PIXELS;
/// A picture is read at up to this many pixels on its longer side (a page scanned at 300 dpi is
/// 3,508); larger photos are scaled down first, which keeps the modules of a code that fills a
/// fair part of the photo several pixels wide.
const READ_SIDE: u32 = 3600;

fn unreadable() -> Error {
    Error::invalid(
        "image",
        "Gambar tidak terbaca: kirim berkas PNG atau JPEG.",
        "The picture could not be read: use a PNG or JPEG file.",
    )
}

/// The text of the QR code in a luma picture, if one is found.
pub fn decode_luma(luma: &image::GrayImage) -> Option<String> {
    use rxing::{BarcodeFormat, DecodeHints};
    let (w, h) = luma.dimensions();
    let mut hints = DecodeHints {
        TryHarder: Some(true),
        AlsoInverted: Some(true),
        ..Default::default()
    };
    rxing::helpers::detect_in_luma_slice_with_hints(
        luma.as_raw(),
        w,
        h,
        Some(BarcodeFormat::QR_CODE),
        &mut hints,
    )
    .ok()
    .map(|r| r.getText().to_owned())
}

fn scaled(luma: &image::GrayImage, side: u32) -> image::GrayImage {
    let (w, h) = luma.dimensions();
    let scale = side as f32 / w.max(h) as f32;
    image::imageops::resize(
        luma,
        ((w as f32 * scale) as u32).max(1),
        ((h as f32 * scale) as u32).max(1),
        image::imageops::FilterType::Triangle,
    )
}

/// Reads the first QR code found in a PNG or JPEG picture (a scan or a phone photo of a receipt).
pub fn decode_image(bytes: &[u8]) -> Result<String> {
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| unreadable())?;
    if !matches!(
        reader.format(),
        Some(image::ImageFormat::Png | image::ImageFormat::Jpeg)
    ) {
        return Err(unreadable());
    }
    let (w, h) = reader.into_dimensions().map_err(|_| unreadable())?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(Error::invalid(
            "image",
            format!(
                "Gambar terlalu besar ({w} × {h} piksel; paling besar {} megapiksel). Kecilkan dulu.",
                MAX_PIXELS / 1_000_000
            ),
            format!(
                "The picture is too large ({w} × {h} pixels; at most {} megapixels). Make it smaller first.",
                MAX_PIXELS / 1_000_000
            ),
        ));
    }
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| unreadable())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let mut luma = reader.decode().map_err(|_| unreadable())?.to_luma8();
    if luma.width().max(luma.height()) > READ_SIDE {
        luma = scaled(&luma, READ_SIDE);
    }
    if let Some(text) = decode_luma(&luma) {
        return Ok(text);
    }
    // A heavily blurred or noisy picture sometimes reads better smaller; a small one (a scan at
    // 150 dpi gives a module under four pixels) better twice as large, where the binarizer's
    // blocks see whole modules.
    let side = luma.width().max(luma.height());
    if side > 1200 {
        if let Some(text) = decode_luma(&scaled(&luma, 1200)) {
            return Ok(text);
        }
    } else if side <= READ_SIDE / 2 {
        if let Some(text) = decode_luma(&scaled(&luma, side * 2)) {
            return Ok(text);
        }
    }
    Err(Error::invalid(
        "image",
        "Tidak ada kode QR yang terbaca pada gambar ini. Pindai ulang dengan lebih terang dan tegak.",
        "No readable QR code in this picture. Scan again, brighter and straight.",
    ))
}
