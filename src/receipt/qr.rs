//! Reading a BAST's QR code from a scan or a phone photo.

use crate::error::{Error, Result};

/// Reads the first QR code found in a PNG or JPEG picture (a scan or a phone photo of a receipt).
pub fn decode_image(bytes: &[u8]) -> Result<String> {
    let unreadable = || {
        Error::invalid(
            "image",
            "Gambar tidak terbaca: kirim berkas PNG atau JPEG.",
            "The picture could not be read: use a PNG or JPEG file.",
        )
    };
    let img = image::load_from_memory(bytes).map_err(|_| unreadable())?;
    let mut luma = img.to_luma8();
    // Phone photos are large; the code is found as well at a fraction of the size, much faster.
    let (w, h) = luma.dimensions();
    if w.max(h) > 2000 {
        let scale = 2000.0 / w.max(h) as f32;
        luma = image::imageops::resize(
            &luma,
            (w as f32 * scale) as u32,
            (h as f32 * scale) as u32,
            image::imageops::FilterType::Triangle,
        );
    }
    let mut prepared = rqrr::PreparedImage::prepare(luma);
    for grid in prepared.detect_grids() {
        if let Ok((_, content)) = grid.decode() {
            return Ok(content);
        }
    }
    Err(Error::invalid(
        "image",
        "Tidak ada kode QR yang terbaca pada gambar ini. Pindai ulang dengan lebih terang dan tegak.",
        "No readable QR code in this picture. Scan again, brighter and straight.",
    ))
}
