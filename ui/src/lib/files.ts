// Files chosen in the window, read for the core (which wants base64) or shown back (data URLs).

/** The file's bytes as base64, without the "data:<type>;base64," prefix of a data URL. */
export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const dataUrl = String(reader.result);
      resolve(dataUrl.slice(dataUrl.indexOf(",") + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error(file.name));
    reader.readAsDataURL(file);
  });
}

/** base64 from the core back into something an <img> or a download link can use. */
export function dataUrl(mime: string, base64: string): string {
  return `data:${mime};base64,${base64}`;
}
