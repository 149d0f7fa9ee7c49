// Reads a chosen logo file for the letterhead: the base64 the core wants and a data URL to preview.

export type LogoFile = { name: string; base64: string; dataUrl: string };

export function readLogoFile(file: File): Promise<LogoFile> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const dataUrl = String(reader.result);
      // A data URL is "data:<type>;base64,<payload>"; the core checks the bytes themselves.
      resolve({ name: file.name, dataUrl, base64: dataUrl.slice(dataUrl.indexOf(",") + 1) });
    };
    reader.onerror = () => reject(reader.error ?? new Error(file.name));
    reader.readAsDataURL(file);
  });
}
