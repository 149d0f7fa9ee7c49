// What Beranda's cards share: the screens they open, and the chart colours (on white, each
// distinct from the others and readable beside the table that carries the same figures).

/** The screens a dashboard card opens (the Shell's ids). */
export type DashTarget = "stok" | "keluarga" | "penyaluran" | "tutup_buku" | "kirim_kanwil" | "rekap" | "kelengkapan" | "duplikat_upt";

export const COLOURS = {
  closed: "#1d5a85",
  live: "#e08a1e",
  received: "#1d5a85",
  issued: "#2f8f5b",
  items: "#3d7fb0",
} as const;
