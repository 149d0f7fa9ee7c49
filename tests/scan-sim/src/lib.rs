//! What a scanner or a phone camera does to a printed page: turns it, blurs it, sees it at a
//! slant, compresses it as JPEG. Used by the QR read-back test in `tests/receipt.rs`; nothing
//! here is part of the program.

use image::{GrayImage, Luma};
use imageproc::geometric_transformations::{
    rotate_about_center, warp, Border, Interpolation, Projection,
};

const WHITE: Luma<u8> = Luma([255]);

/// `img` on a white margin `pad` times its larger side wide on every side, so a turn or a tilt
/// does not cut the corners off.
pub fn pad(img: &GrayImage, pad: f32) -> GrayImage {
    let m = (img.width().max(img.height()) as f32 * pad) as u32;
    let mut out = GrayImage::from_pixel(img.width() + 2 * m, img.height() + 2 * m, WHITE);
    image::imageops::overlay(&mut out, img, i64::from(m), i64::from(m));
    out
}

/// Turned by `degrees` about its centre.
pub fn rotate(img: &GrayImage, degrees: f32) -> GrayImage {
    rotate_about_center(
        img,
        degrees.to_radians(),
        Interpolation::Bilinear,
        Border::Constant(WHITE),
    )
}

/// A Gaussian blur of `sigma` pixels (no blur at 0).
pub fn blur(img: &GrayImage, sigma: f32) -> GrayImage {
    if sigma <= 0.0 {
        return img.clone();
    }
    imageproc::filter::gaussian_blur_f32(img, sigma)
}

/// Seen at a slant of `degrees` about the horizontal axis: the far (top) edge shrinks by
/// cos(degrees) and moves down, as a camera held at that angle to the page sees it.
pub fn tilt(img: &GrayImage, degrees: f32) -> GrayImage {
    let (w, h) = (img.width() as f32, img.height() as f32);
    let c = degrees.to_radians().cos();
    // The far edge is narrower by the slant and by the longer distance to it.
    let top = c * (1.0 - 0.25 * (1.0 - c));
    let inset = w * (1.0 - top) / 2.0;
    let drop = h * (1.0 - c) / 2.0;
    match Projection::from_control_points(
        [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)],
        [(inset, drop), (w - inset, drop), (w, h), (0.0, h)],
    ) {
        Some(p) => warp(img, p, Interpolation::Bilinear, Border::Constant(WHITE)),
        None => img.clone(),
    }
}

/// Saved as JPEG at `quality` (1–100), and read back.
pub fn jpeg(img: &GrayImage, quality: u8) -> Vec<u8> {
    let mut buf = Vec::new();
    let _ = img.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
        &mut buf, quality,
    ));
    buf
}
