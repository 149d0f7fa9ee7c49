//! The command line's help in English (`--lang en`). clap reads the help from the Indonesian doc
//! comments on `Cli`; `HELP_EN` gives each text its English, and `english` puts them into the
//! command tree before it parses. A test checks that every help text has its English.

use clap::{Arg, ArgAction, Command};

/// (Indonesian as clap shows it, English).
const HELP_EN: &[(&str, &str)] = &[
    ("Ajukan penyesuaian (berlaku setelah disetujui verifikator)", "Request an adjustment (takes effect once a verifikator approves it)"),
    ("Aktifkan kembali keluarga", "Reactivate a family"),
    ("Aktifkan lagi (dengan kata sandi baru)", "Reactivate (with a new password)"),
    ("Akun staf", "Staff accounts"),
    ("Alamat dan port yang didengar, mis. 127.0.0.1:8443 (di belakang proxy TLS) atau 0.0.0.0:8443", "Address and port to listen on, e.g. 127.0.0.1:8443 (behind a TLS proxy) or 0.0.0.0:8443"),
    ("Alamat kotak masuk Kanwil untuk unggahan, mis. https://bansos.kanwil-jateng.go.id", "Kanwil inbox address for uploads, e.g. https://bansos.kanwil-jateng.go.id"),
    ("Alasan kurang mampu (boleh berulang), mis. pencari_nafkah_ditahan", "Reason the family is poor (repeatable), e.g. pencari_nafkah_ditahan"),
    ("Alasan kurang mampu (boleh berulang; menggantikan alasan yang tercatat)", "Reason the family is poor (repeatable; replaces the recorded reasons)"),
    ("Alasan membuka kembali (dicatat di log audit)", "Reason for reopening (recorded in the audit log)"),
    ("Alasan penggantian (dicatat di log audit dan dikirim ke Kanwil)", "Reason for the replacement (recorded in the audit log and sent to the Kanwil)"),
    ("Alih-alih: impor Kanwil atas bundel sekian UPT contoh (mis. 30), --months bulan masing-masing", "Instead: a Kanwil import of the bundles of this many sample UPTs (e.g. 30), --months months each"),
    ("Anggota: \"NAMA;NIK;HUBUNGAN[;L/P;TGL LAHIR]\" (boleh berulang; NIK kosong = sementara)", "Member: \"NAME;NIK;RELATIONSHIP[;L/P;BIRTH DATE]\" (repeatable; empty NIK = temporary)"),
    ("Atur ulang kata sandi (kata sandi baru dari BANSOS_NEW_PASSWORD atau ditanya)", "Reset the password (new password from BANSOS_NEW_PASSWORD or prompted)"),
    ("BAST satu serah terima sebagai PDF A4 (cetak pertama asli, berikutnya SALINAN, yang batal BATAL)", "The BAST of one hand-over as an A4 PDF (first print original, later ones SALINAN, a voided one BATAL)"),
    ("BAST: cetak PDF, periksa kode QR", "BAST: print PDF, check QR code"),
    ("Baca berkas pendaftaran UPT; dengan --fingerprint (sesudah dibandingkan lewat telepon) daftarkan dan simpan berkas pengesahannya", "Read a UPT registration file; with --fingerprint (after comparing by phone) register it and save its enrollment file"),
    ("Bahasa pesan: id atau en", "Message language: id or en"),
    ("Bansos: catatan bantuan sosial UPT Pemasyarakatan (baris perintah)", "Bansos: social-aid records of a UPT Pemasyarakatan (command line)"),
    ("Barang: \"KODE;JUMLAH;NILAI[;LOT;KEDALUWARSA]\", mis. \"beras;250,5;Rp3.000.000;B-01;30-06-2025\"", "Item: \"CODE;QUANTITY;VALUE[;LOT;EXPIRY]\", e.g. \"beras;250,5;Rp3.000.000;B-01;30-06-2025\""),
    ("Batalkan BAST dengan alasan (Verifikator): stok kembali, nomor tetap, BAST bertanda BATAL", "Void a BAST with a reason (Verifikator): stock returned, number kept, BAST marked BATAL"),
    ("Batalkan kegiatan dengan alasan", "Cancel an event with a reason"),
    ("Batalkan satu mutasi dengan mutasi kebalikannya (Verifikator; nomor mutasi ada di `stock card --json`). Pengeluaran serah terima kembali dengan membatalkan BAST-nya", "Reverse one movement with its opposite movement (Verifikator; movement numbers are in `stock card --json`). A hand-over issue is reversed by voiding its BAST"),
    ("Batas laporan UPT: tanggal berapa bulan berikutnya (1–28; --regional)", "UPT report deadline: day of the following month (1–28; --regional)"),
    ("Batas laporan: tanggal berapa bulan berikutnya (1–28)", "Report deadline: day of the following month (1–28)"),
    ("Benih acak: benih yang sama, data yang sama", "Random seed: same seed, same data"),
    ("Beranda: bulan ini sekilas (di Kanwil: bulan lalu seprovinsi)", "Beranda: this month at a glance (at a Kanwil: last month across the province)"),
    ("Berkas .bansos-backup", ".bansos-backup file"),
    ("Berkas atau folder tujuan", "Destination file or folder"),
    ("Berkas atau folder tujuan [bawaan: BAST-<nomor>.pdf di folder ini]; berkas yang sudah ada tidak ditimpa (nama berikutnya dipakai, mis. \"BAST-… (2).pdf\")", "Destination file or folder [default: BAST-<number>.pdf in this folder]; an existing file is not overwritten (the next name is used, e.g. \"BAST-… (2).pdf\")"),
    ("Berkas atau folder tujuan [bawaan: QR-<nomor>.png di folder ini]; berkas yang sudah ada tidak ditimpa", "Destination file or folder [default: QR-<number>.png in this folder]; an existing file is not overwritten"),
    ("Berkas atau folder tujuan pernyataan", "Destination file or folder for the statement"),
    ("Berkas basis data [bawaan: folder data pengguna/bansos/bansos.db]", "Database file [default: user data folder/bansos/bansos.db]"),
    ("Berkas kegiatan: daftar hadir (BNBA, kolom tanda tangan) dan semua BAST dalam satu PDF", "Event file: attendance list (BNBA, signature column) and all BASTs in one PDF"),
    ("Berkas logo PNG/JPEG", "PNG/JPEG logo file"),
    ("Berkas pengesahan terbaru untuk UPT yang sudah terdaftar (kunci provinsi yang berlaku)", "Latest enrollment file for an already registered UPT (the current province key)"),
    ("Berkas ringkasan (.pdf atau .html)", "Summary file (.pdf or .html)"),
    ("Berlaku mulai bulan, mis. 2025-01", "Effective from month, e.g. 2025-01"),
    ("Bila No. KK berubah: pindah, kematian, pisah_kk, perubahan_data atau lainnya", "If the No. KK changed: pindah, kematian, pisah_kk, perubahan_data or lainnya"),
    ("Buat Kanwil contoh (mode regional, di --db) dengan sekian UPT contoh yang terdaftar dan semua bundelnya", "Create a sample Kanwil (regional mode, in --db) with this many registered sample UPTs and all their bundles"),
    ("Buat UPT contoh yang realistis di basis data baru (--db): keluarga, stok, kegiatan, serah terima, bulan-bulan ditutup", "Create a realistic sample UPT in a new database (--db): families, stock, events, hand-overs, closed months"),
    ("Buat berkas pendaftaran UPT untuk Kanwil (profil dan kunci publik, ditandatangani)", "Create a UPT registration file for the Kanwil (profile and public key, signed)"),
    ("Buat cadangan sekarang", "Make a backup now"),
    ("Buat daftar nama (BNBA) satu bulan yang sudah ditutup, atas permintaan Kanwil (terenkripsi untuk Kanwil)", "Create the name list (BNBA) of one closed month, at the Kanwil's request (encrypted for the Kanwil)"),
    ("Buat kegiatan (draf)", "Create an event (draft)"),
    ("Buat paket: --line \"KODE;JUMLAH\" berulang", "Create a package: --line \"CODE;QUANTITY\" repeated"),
    ("Buka daftar nama (BNBA) kiriman UPT; tampilkan, atau simpan sebagai XLSX dengan --xlsx", "Open a name list (BNBA) sent by a UPT; show it, or save it as XLSX with --xlsx"),
    ("Buka kembali bulan terakhir yang ditutup (Kepala UPT), dengan alasan", "Reopen the last closed month (Kepala UPT), with a reason"),
    ("Buka kunci akun yang terkunci", "Unlock a locked account"),
    ("Bukti yang diperiksa, mis. \"KTP, KK dan SKTM dari kelurahan\"", "Evidence checked, e.g. \"KTP, KK dan SKTM dari kelurahan\""),
    ("Bulan per UPT untuk --province", "Months per UPT for --province"),
    ("Bulan terakhir yang dibuat dan ditutup [bawaan: bulan lalu]", "Last month created and closed [default: last month]"),
    ("Bulan yang sudah ditutup, mis. 2024-11", "A closed month, e.g. 2024-11"),
    ("Bulan, mis. 2024-11", "Month, e.g. 2024-11"),
    ("Bulan-bulan UPT dengan keadaannya: berjalan, terbuka, ditutup, nihil, dibuka kembali", "The UPT's months with their state: running, open, closed, nil, reopened"),
    ("Bundel bulanan bertanda tangan untuk Kanwil: simpan, periksa, lihat isinya", "Signed monthly bundles for the Kanwil: save, check, view contents"),
    ("Bundel-bundel UPT dan keadaannya: dibuat, dikirim, diterima Kanwil, ditolak", "The UPT's bundles and their state: created, sent, acknowledged by the Kanwil, refused"),
    ("Cabut kunci UPT (PC hilang atau dicuri)", "Revoke a UPT's key (PC lost or stolen)"),
    ("Catat penerimaan: satu dokumen, satu sumber dana, satu lot per --line", "Record receiving: one document, one funding source, one lot per --line"),
    ("Cocokkan NIK penerima (tidak ditampilkan)", "Match the recipient's NIK (not shown)"),
    ("Daftar cadangan", "List backups"),
    ("Daftar kegiatan", "List events"),
    ("Daftar keluarga, atau cari dengan --search (nama, NIK, No. KK, no. registrasi WBP)", "List families, or search with --search (name, NIK, No. KK, WBP registration no.)"),
    ("Daftar paket (versi terbaru)", "List packages (latest version)"),
    ("Daftar penerima: keluarga, impor/ekspor, duplikat", "Recipient list: families, import/export, duplicates"),
    ("Daftar penyesuaian (bawaan: yang menunggu)", "List adjustments (default: pending ones)"),
    ("Daftar periksa sebelum tutup buku: yang menghalangi, yang perlu dilihat", "Checklist before month closing: what blocks it, what needs a look"),
    ("Daftar staf", "List staff"),
    ("Daftarkan kunci publik Kanwil", "Register a Kanwil public key"),
    ("Daftarkan satu keluarga (kepala keluarga dari opsi, anggota dengan --member)", "Register one family (head of the family from the options, members with --member)"),
    ("Dengan --province: semua UPT mengunggah sekaligus ke `bansos inbox serve` (uji beban kotak masuk)", "With --province: all UPTs upload at once to `bansos inbox serve` (inbox load test)"),
    ("Desil DTKS/DTSEN 1–10", "DTKS/DTSEN decile 1–10"),
    ("Diterima oleh wakil: nama", "Received by a proxy: name"),
    ("Donatur dan total sumbangannya", "Donors and their total donations"),
    ("Ekspor semua keluarga ke XLSX (judul kolom berbahasa Indonesia); berkas yang sudah ada tidak ditimpa", "Export all families to XLSX (column headings in Indonesian); an existing file is not overwritten"),
    ("Entri terbaru", "Latest entries"),
    ("Folder tujuan (mis. flashdisk)", "Destination folder (e.g. a flash drive)"),
    ("Folder tujuan (mis. flashdisk); bawaan: folder backups di samping basis data", "Destination folder (e.g. a flash drive); default: the backups folder next to the database"),
    ("Folder tujuan (tanpa ini: unggah ke alamat kotak masuk Kanwil)", "Destination folder (without it: upload to the Kanwil inbox address)"),
    ("Folder tujuan [bawaan: folder ini]", "Destination folder [default: this folder]"),
    ("Folder untuk berkas jawaban [bawaan: folder \"jawaban\" di samping basis data]", "Folder for answer files [default: the \"jawaban\" folder next to the database]"),
    ("Folder untuk berkas pengesahan", "Folder for enrollment files"),
    ("Ganti kata sandi sendiri", "Change your own password"),
    ("Ganti kunci tanda tangan UPT; simpan pernyataan (ditandatangani kunci lama dan baru) untuk Kanwil", "Replace the UPT's signing key; save a statement (signed by the old and new keys) for the Kanwil"),
    ("Hanya bundel bernomor urut ini (dengan --to)", "Only the bundle with this sequence number (with --to)"),
    ("Hanya daftar hadir (sebelum hari penyaluran)", "Attendance list only (before distribution day)"),
    ("Hanya pratinjau; tidak ada yang disimpan", "Preview only; nothing is saved"),
    ("Hanya stok dari sumber dana ini", "Only stock from this funding source"),
    ("Hapus alamatnya (hanya lewat berkas)", "Remove the address (files only)"),
    ("Hapus penerima (selama draf)", "Remove a recipient (while draft)"),
    ("Hubungan keluarga dengan WBP, mis. istri", "Family's relationship to the WBP, e.g. istri"),
    ("Hubungan wakil dengan keluarga, mis. anak", "Proxy's relationship to the family, e.g. anak"),
    ("Impor berkas jawaban Kanwil (berkas atau folder)", "Import Kanwil answer files (file or folder)"),
    ("Impor berkas pengesahan dari Kanwil (kunci Kanwil dan kunci provinsi)", "Import the enrollment file from the Kanwil (Kanwil key and province key)"),
    ("Impor bundel dari berkas atau folder (flashdisk); jawaban ditandatangani disimpan ke --answers", "Import bundles from a file or folder (flash drive); signed answers are saved to --answers"),
    ("Impor daftar BNBA dari XLSX atau CSV: pratinjau per baris, lalu semua baris valid sekaligus", "Import a BNBA list from XLSX or CSV: preview per row, then all valid rows at once"),
    ("Isi kode QR (teks yang diketik pemindai)", "QR code contents (the text the scanner types)"),
    ("Jabatan Admin pertama", "Position of the first Admin"),
    ("Jalankan server kotak masuk Kanwil (mode regional): UPT mengunggah bundelnya lewat HTTP", "Run the Kanwil inbox server (regional mode): UPTs upload their bundles over HTTP"),
    ("Jawaban bertanda tangan berisi posisi rantai UPT terakhir (untuk UPT yang dipulihkan dari cadangan)", "Signed answer holding the UPT's last chain position (for a UPT restored from a backup)"),
    ("Jumlah bertanda, mis. -2", "Signed quantity, e.g. -2"),
    ("Jumlah keluarga (10–12.000)", "Number of families (10–12,000)"),
    ("Jumlah keluarga buatan (bawaan 100.000, paling sedikit 8.334: satu bulan serah terima riwayat buatan; paling banyak 1.000.000; dengan --province: per UPT, bawaan 40)", "Number of synthetic families (default 100,000, at least 8,334: one month of hand-overs in the synthetic history; at most 1,000,000; with --province: per facility, default 40)"),
    ("Jumlah per orang, dikalikan jumlah anggota keluarga", "Quantity per person, multiplied by the number of family members"),
    ("Kartu stok satu barang (--xlsx atau --pdf untuk menyimpan; berkas yang sudah ada tidak ditimpa)", "Stock card of one item (--xlsx or --pdf to save; an existing file is not overwritten)"),
    ("Katalog barang", "Item catalogue"),
    ("Kategori bila berkas tidak punya kolom kategori", "Category when the file has no category column"),
    ("Keadaan basis data (tanpa masuk)", "Database status (without logging in)"),
    ("Kegiatan penyaluran: buat, tambah penerima, laporan kekurangan, setujui, selesaikan, batalkan, berkas (daftar hadir, semua BAST)", "Distribution events: create, add recipients, shortage report, approve, complete, cancel, files (attendance list, all BASTs)"),
    ("Kelas, mis. IIB", "Class, e.g. IIB"),
    ("Kelengkapan laporan per UPT: diterima, nihil, menunggu, cabang, belum ada; tepat waktu atau terlambat", "Report completeness per UPT: accepted, nihil, waiting, fork, missing; on time or late"),
    ("Keluaran JSON (untuk skrip)", "JSON output (for scripts)"),
    ("Keluarkan stok di luar serah terima (Verifikator; lot yang paling dulu kedaluwarsa lebih dulu)", "Issue stock outside a hand-over (Verifikator; lots that expire first go first)"),
    ("Keterangan sumber (untuk lainnya)", "Source description (for lainnya)"),
    ("Kirim bundel yang belum diterima Kanwil: unggah ke kotak masuk Kanwil, atau salin ke folder/flashdisk dengan --to", "Send bundles not yet accepted by the Kanwil: upload to the Kanwil inbox, or copy to a folder/flash drive with --to"),
    ("Kode QR satu BAST sebagai gambar PNG (mis. untuk mencoba pemindai, atau untuk `receipt verify --image`)", "QR code of one BAST as a PNG image (e.g. to try a scanner, or for `receipt verify --image`)"),
    ("Kode UPT, mis. RUTAN-BLORA", "UPT code, e.g. RUTAN-BLORA"),
    ("Kode barang, mis. beras", "Item code, e.g. beras"),
    ("Kode keluarga", "Family code"),
    ("Kode keluarga, boleh berulang", "Family code, repeatable"),
    ("Kode keluarga, mis. KLG-000012", "Family code, e.g. KLG-000012"),
    ("Kode wilayah desa/kelurahan (10 angka, titik boleh)", "Village region code (10 digits, dots allowed)"),
    ("Kotak keluar ke Kanwil: daftar bundel, kirim (unggah ke kotak masuk Kanwil atau salin ke flashdisk), alamat kotak masuk, impor jawaban Kanwil", "Outbox to the Kanwil: list bundles, send (upload to the Kanwil inbox or copy to a flash drive), inbox address, import Kanwil answers"),
    ("Kunci publik Kanwil: LABEL=KUNCI (boleh berulang)", "Kanwil public key: LABEL=KEY (repeatable)"),
    ("Kunci publik UPT sebagai KODE=KUNCI (untuk Kanwil dan `receipt verify --key`)", "The UPT's public key as CODE=KEY (for the Kanwil and `receipt verify --key`)"),
    ("L atau P", "L or P"),
    ("L atau P (bawaan: dari NIK)", "L or P (default: from the NIK)"),
    ("Lama riwayat dalam tahun (1–5)", "History length in years (1–5)"),
    ("Laporan bulanan bulan yang sudah ditutup: PDF dan XLSX", "Monthly report of a closed month: PDF and XLSX"),
    ("Laporan kekurangan stok untuk seluruh daftar", "Stock shortage report for the whole list"),
    ("Log audit", "Audit log"),
    ("Mode regional (Kanwil): daftarkan UPT, impor bundel, rekap, kelengkapan, duplikat antar-UPT", "Regional mode (Kanwil): register UPTs, import bundles, recap, completeness, duplicates across UPTs"),
    ("Mode regional: basis data ini milik Kanwil (menerima bundel UPT), bukan UPT", "Regional mode: this database belongs to a Kanwil (receives UPT bundles), not a UPT"),
    ("NIK belum diketahui / sementara", "NIK not yet known / temporary"),
    ("NIK kepala keluarga (menggantikan NIK sementara)", "NIK of the head of the family (replaces a temporary NIK)"),
    ("NIP Kepala UPT (18 angka)", "NIP of the Kepala UPT (18 digits)"),
    ("Nama Kepala UPT", "Name of the Kepala UPT"),
    ("Nama UPT, mis. \"Rutan Kelas IIB Blora\"", "UPT name, e.g. \"Rutan Kelas IIB Blora\""),
    ("Nama donatur (wajib untuk CSR)", "Donor name (required for CSR)"),
    ("Nama kepala keluarga", "Name of the head of the family"),
    ("Nama lengkap Admin pertama", "Full name of the first Admin"),
    ("Nama pengguna Admin pertama", "Username of the first Admin"),
    ("Nama pengguna untuk masuk", "Username to log in with"),
    ("Nomor BAST (mis. 001/BAST-BANSOS/RUTAN-BLORA/XI/2024) atau nomor serah terima", "BAST number (e.g. 001/BAST-BANSOS/RUTAN-BLORA/XI/2024) or hand-over number"),
    ("Nomor BAST atau nomor serah terima", "BAST number or hand-over number"),
    ("Nomor kegiatan", "Event number"),
    ("Nomor lot (lihat `stock balance --json`)", "Lot number (see `stock balance --json`)"),
    ("Nomor paket", "Package number"),
    ("Nomor surat jalan / BA", "Delivery note / BA number"),
    ("Nomor surat permintaan Kanwil", "Number of the Kanwil's request letter"),
    ("Nonaktifkan akun", "Deactivate an account"),
    ("Nonaktifkan keluarga dengan alasan", "Deactivate a family with a reason"),
    ("Orang yang dilayani dua UPT dalam satu bulan (pasangan nomor BAST, tanpa NIK)", "People served by two UPTs in one month (pairs of BAST numbers, without NIK)"),
    ("Paket sembako (templat)", "Staple-food packages (templates)"),
    ("Paling banyak sekian orang dihitung", "Count at most this many people"),
    ("Pasangan kemungkinan duplikat (yang terbuka; --all untuk semua)", "Possible duplicate pairs (open ones; --all for all)"),
    ("Pejabat yang hadir: \"NAMA;JABATAN\" berulang", "Officials present: \"NAME;POSITION\" repeated"),
    ("Pemetaan kolom: \"JUDUL KOLOM=nik,NAMA PENERIMA=nama\" (bawaan: diingat atau ditebak)", "Column mapping: \"COLUMN HEADER=nik,NAMA PENERIMA=nama\" (default: remembered or guessed)"),
    ("Penyiapan awal: profil UPT, pasangan kunci, akun Admin pertama", "Initial setup: UPT profile, key pair, first Admin account"),
    ("Per tanggal", "As of date"),
    ("Periksa bundel: ukuran, isi zip, tanda tangan, setiap bagian", "Check a bundle: size, zip contents, signature, every part"),
    ("Periksa isi kode QR BAST: asli, diubah, atau UPT tidak dikenal", "Check the contents of a BAST QR code: genuine, altered, or unknown UPT"),
    ("Periksa rantai hash log audit; keluar bukan-nol bila ada yang diubah", "Check the audit log hash chain; exit non-zero if anything was altered"),
    ("Periksa ringkasan publik (PDF atau HTML): tanda tangan UPT dan setiap angka yang tampak", "Check a public summary (PDF or HTML): the UPT signature and every visible number"),
    ("Periksa tanpa basis data: \"KODE-UPT=KUNCI-PUBLIK-HEX\"", "Check without a database: \"UPT-CODE=PUBLIC-KEY-HEX\""),
    ("Periksa tanpa basis data: \"KODE-UPT=KUNCI-PUBLIK-HEX\", boleh berulang", "Check without a database: \"UPT-CODE=PUBLIC-KEY-HEX\", repeatable"),
    ("Periksa: saldo setiap lot sama dengan jumlah mutasinya (kode keluar 3 bila tidak)", "Check: each lot's balance equals the sum of its movements (exit code 3 if not)"),
    ("Permintaan per alamat per menit; lebih dari itu dijawab 429", "Requests per address per minute; beyond that answered with 429"),
    ("Permintaan yang dilayani sekaligus; lebih dari itu dijawab 503", "Requests served at once; beyond that answered with 503"),
    ("Petugas yang menerima barang", "Petugas who received the items"),
    ("Pola nomor BAST", "BAST number pattern"),
    ("Profil UPT dan kunci", "UPT profile and keys"),
    ("Pulihkan dari cadangan (basis data lama disimpan, tidak dihapus). Tutup aplikasi dulu", "Restore from a backup (the old database is kept, not deleted). Close the application first"),
    ("RUTAN, LAPAS atau LPKA (tidak untuk --regional)", "RUTAN, LAPAS or LPKA (not for --regional)"),
    ("Rekap provinsi satu bulan", "Province recap of one month"),
    ("Revisi laporan [bawaan: yang terakhir]", "Report revision [default: the latest]"),
    ("Rincian kegiatan dengan daftar penerima", "Event details with the recipient list"),
    ("Rincian satu keluarga (tercatat di log audit sebagai akses)", "Details of one family (recorded in the audit log as an access)"),
    ("Ringkasan publik (tanpa data pribadi, angka kecil disamarkan, ditandatangani) alih-alih laporan lengkap", "Public summary (no personal data, small numbers masked, signed) instead of the full report"),
    ("Ringkasan publik satu kegiatan yang sudah selesai", "Public summary of one completed event"),
    ("Saldo per barang, lot dan sumber dana (bawaan: hari ini), dengan peringatan", "Balance per item, lot and funding source (default: today), with warnings"),
    ("Selesaikan kegiatan (tidak ada serah terima lagi)", "Complete an event (no more hand-overs)"),
    ("Selesaikan pasangan duplikat (Verifikator): --distinct, atau --keep KODE untuk menggabung", "Resolve a duplicate pair (Verifikator): --distinct, or --keep CODE to merge"),
    ("Seluruh isian dari berkas JSON (bentuk FamilyInput); opsi lain diabaikan", "All fields from a JSON file (FamilyInput form); other options are ignored"),
    ("Serah terima paket kepada satu keluarga (atau wakilnya): stok keluar, nomor BAST berikutnya", "Hand over a package to one family (or its proxy): stock out, next BAST number"),
    ("Server kotak masuk Kanwil: UPT mengunggah bundel lewat HTTP (mode regional)", "Kanwil inbox server: UPTs upload bundles over HTTP (regional mode)"),
    ("Setujui atau tolak penyesuaian (Verifikator)", "Approve or reject an adjustment (Verifikator)"),
    ("Setujui kegiatan (Verifikator)", "Approve an event (Verifikator)"),
    ("Sidik jari kunci Kanwil yang dibacakan lewat telepon (bila kuncinya belum dikenal)", "Fingerprint of the Kanwil key read out over the phone (if the key is not yet known)"),
    ("Sidik jari yang dibacakan UPT lewat telepon", "Fingerprint read out by the UPT over the phone"),
    ("Simpan HTML ke berkas ini", "Save HTML to this file"),
    ("Simpan PDF ke berkas ini", "Save PDF to this file"),
    ("Simpan PDF ke berkas ini (berkas yang sudah ada tidak ditimpa)", "Save PDF to this file (an existing file is not overwritten)"),
    ("Simpan basis data buatan di folder ini (untuk mengukur jendela), jangan dihapus; dengan --province: bundelnya di FOLDER/bundles dan Kanwil sebelum impor di FOLDER/kanwil-before", "Save the synthetic database in this folder (to measure the window) instead of deleting it; with --province: its bundles in FOLDER/bundles and the Kanwil before the import in FOLDER/kanwil-before"),
    ("Simpan bundel bulan yang sudah ditutup ke folder (byte yang sama setiap kali)", "Save the bundle of a closed month to a folder (the same bytes every time)"),
    ("Simpan lagi pernyataan ganti kunci terakhir", "Save the last key replacement statement again"),
    ("Simpan laporan XLSX ke berkas ini (berkas yang sudah ada tidak ditimpa)", "Save the XLSX report to this file (an existing file is not overwritten)"),
    ("Simpan ringkasan publik sebagai satu berkas HTML (dengan --public)", "Save the public summary as a single HTML file (with --public)"),
    ("Stock opname: start, count LOT JUMLAH, show, approve, cancel", "Stock count: start, count LOT QUANTITY, show, approve, cancel"),
    ("Stok: penerimaan, saldo, kartu stok, penyesuaian, stock opname", "Stock: receiving, balance, stock card, adjustment, stock count"),
    ("Tambah anggota: \"NAMA;NIK;HUBUNGAN[;L/P;TGL LAHIR]\" (boleh berulang)", "Add a member: \"NAME;NIK;RELATIONSHIP[;L/P;BIRTH DATE]\" (repeatable)"),
    ("Tambah barang (mis. hasil panen baru)", "Add an item (e.g. a new harvest)"),
    ("Tambah penerima (diperiksa: terverifikasi, aktif, persetujuan, sekali per periode)", "Add recipients (checked: verified, active, consent, once per period)"),
    ("Tambah staf (kata sandi dari BANSOS_NEW_PASSWORD atau ditanya)", "Add staff (password from BANSOS_NEW_PASSWORD or prompted)"),
    ("Tampilkan isi bundel (manifes dan bagian-bagiannya) tanpa membukanya", "Show the contents of a bundle (manifest and its parts) without opening it"),
    ("Tampilkan profil UPT, kunci publik dan kunci Kanwil", "Show the UPT profile, public key and Kanwil keys"),
    ("Tanggal kegiatan, paling lambat setahun lagi [bawaan: hari ini di UPT]", "Event date, at most a year ahead [default: today at the UPT]"),
    ("Tanggal lahir (bawaan: dari NIK)", "Date of birth (default: from the NIK)"),
    ("Tanggal lahir kepala keluarga", "Date of birth of the head of the family"),
    ("Tanggal persetujuan keluarga", "Date of the family's consent"),
    ("Tanggal persetujuan keluarga, mis. 16-11-2024", "Date of the family's consent, e.g. 16-11-2024"),
    ("Tanggal serah terima (bawaan: hari ini), mis. 16-11-2024 untuk kunjungan rumah yang dicatat kemudian", "Hand-over date (default: today), e.g. 16-11-2024 for a home visit recorded later"),
    ("Tanggal terima [bawaan: hari ini di UPT]", "Date received [default: today at the UPT]"),
    ("Terbitkan kunci provinsi baru (pseudonim) mulai bulan ini; kirim ke UPT dengan `regional enrollment`", "Issue a new province key (pseudonym) from this month; send it to the UPTs with `regional enrollment`"),
    ("Terima pernyataan ganti kunci UPT (ditandatangani kunci lama dan kunci baru)", "Accept a UPT key replacement statement (signed by the old key and the new key)"),
    ("Termasuk barang yang sudah tidak dipakai", "Include items no longer in use"),
    ("Termasuk keluarga nonaktif", "Include inactive families"),
    ("Tutup buku bulanan: daftar bulan, daftar periksa, tutup, buka kembali", "Monthly closing: list months, checklist, close, reopen"),
    ("Tutup buku satu bulan (Kepala UPT): laporan disimpan dan ditandatangani, catatan bulan itu dikunci", "Close one month (Kepala UPT): the report is stored and signed, that month's records are locked"),
    ("UPT yang terdaftar", "Registered UPTs"),
    ("Ubah atau lengkapi data keluarga (mis. persetujuan dan alasan sebelum verifikasi); hanya yang diberikan yang berubah", "Change or complete a family's data (e.g. consent and reasons before verification); only what is given changes"),
    ("Ubah atau lengkapi data keluarga (mis. persetujuan dan alasan sebelum verifikasi); hanya yang diberikan yang berubah\n\nSuntingan Petugas mengembalikan keluarga terverifikasi ke draf, untuk diverifikasi lagi.", "Change or complete a family's data (e.g. consent and reasons before verification); only what is given changes\n\nAn edit by a Petugas returns a verified family to draft, to be verified again."),
    ("Ubah batas waktu tidak aktif (menit)", "Change the idle timeout (minutes)"),
    ("Ubah paket (versi baru bila sudah dipakai kegiatan)", "Change a package (a new version if an event already uses it)"),
    ("Ukur kecepatan pada data buatan seukuran SPEC §3 (basis data sementara, tidak menyentuh data Anda)", "Measure speed on synthetic data the size of SPEC §3 (temporary database, does not touch your data)"),
    ("Unggahan per UPT per alamat per menit; lebih dari itu dijawab 429", "Uploads per UPT per address per minute; beyond that answered with 429"),
    ("Verifikasi keluarga (Verifikator)", "Verify a family (Verifikator)"),
    ("Verifikasi keluarga (Verifikator)\n\nPerlu No. KK, persetujuan, alasan kurang mampu, NIK kepala keluarga yang bukan sementara, dan nama WBP untuk keluarga WBP; yang kurang dilengkapi dengan `family edit`.", "Verify a family (Verifikator)\n\nNeeds the No. KK, consent, a reason the family is poor, a head-of-family NIK that is not temporary, and the WBP's name for a WBP family; complete what is missing with `family edit`."),
    ("WIB, WITA atau WIT", "WIB, WITA or WIT"),
    ("Wajib: ringkasan publik", "Required: public summary"),
    ("csr, bama_kantin, koperasi, hasil_panen, lainnya", "csr, bama_kantin, koperasi, hasil_panen, lainnya"),
    ("ditahan, bebas atau pindah", "ditahan, bebas or pindah"),
    ("draft atau verified", "draft or verified"),
    ("keluarga_wbp atau masyarakat_sekitar", "keluarga_wbp or masyarakat_sekitar"),
    ("mis. \"Kanwil Ditjenpas Jawa Tengah\" (untuk --regional: sama dengan --name)", "e.g. \"Kanwil Ditjenpas Jawa Tengah\" (for --regional: same as --name)"),
    ("petugas, verifikator, kepala_upt atau admin", "petugas, verifikator, kepala_upt or admin"),
    ("rusak, kedaluwarsa, hilang, koreksi", "rusak, kedaluwarsa, hilang, koreksi"),
    ("rutin_bulanan, serentak_nasional, hari_besar, kunjungan_rumah", "rutin_bulanan, serentak_nasional, hari_besar, kunjungan_rumah"),
    ("sembako, hasil_panen atau lainnya", "sembako, hasil_panen or lainnya"),
    ("…atau dalam bulan (1–60)", "…or in months (1–60)"),
    ("…atau foto/pindaian BAST (PNG, JPEG)", "…or a photo/scan of the BAST (PNG, JPEG)"),
    ("Menit tanpa kegiatan sebelum keluar otomatis (1–240)", "Minutes without activity before signing out (1–240)"),
    ("Berkas pengesahan (.bansos-enrollment) dari Kanwil", "Enrollment file (.bansos-enrollment) from the Kanwil"),
    ("Nama Kanwil pemilik kunci, mis. \"Kanwil Jawa Tengah\"", "Name of the Kanwil the key belongs to, e.g. \"Kanwil Jawa Tengah\""),
    ("Kunci publik Kanwil (heksadesimal)", "The Kanwil's public key (hexadecimal)"),
    ("Nama pengguna untuk masuk (3–32 karakter: huruf, angka, titik, garis bawah, minus)", "User name to sign in with (3–32 characters: letters, digits, dot, underscore, minus)"),
    ("Nama lengkap", "Full name"),
    ("NIP (boleh kosong)", "NIP (may be empty)"),
    ("Jabatan", "Position"),
    ("Nama pengguna", "User name"),
    ("Alasan (dicatat di log audit)", "Reason (recorded in the audit log)"),
    ("Jumlah entri", "Number of entries"),
    ("Provinsi, mis. Jawa Tengah", "Province, e.g. Jawa Tengah"),
    ("Alamat UPT", "The facility's address"),
    ("NIP Admin pertama (boleh kosong)", "NIP of the first admin (may be empty)"),
    ("Nama paket, mis. \"Paket sembako bulanan\"", "Package name, e.g. \"Paket sembako bulanan\""),
    ("Barang: \"KODE;JUMLAH\", boleh berulang", "Item: \"CODE;QUANTITY\", repeatable"),
    ("Tempat, mis. Aula Rutan", "Place, e.g. Aula Rutan"),
    ("Diterima oleh wakil: NIK", "Received by a proxy: NIK"),
    ("Nama barang, mis. Beras", "Item name, e.g. Beras"),
    ("Satuan, mis. kg", "Unit, e.g. kg"),
    ("Stok minimum untuk peringatan, mis. 50", "Minimum stock for the warning, e.g. 50"),
    ("Dari tanggal, mis. 01-11-2024 [bawaan: awal tahun ini]", "From date, e.g. 01-11-2024 [default: the start of this year]"),
    ("Sampai tanggal [bawaan: hari ini]", "To date [default: today]"),
    ("Simpan sebagai XLSX di berkas ini", "Save as XLSX to this file"),
    ("Simpan sebagai PDF di berkas ini", "Save as PDF to this file"),
    ("Keterangan (wajib)", "Note (required)"),
    ("Semua, bukan hanya yang menunggu", "All, not only those waiting"),
    ("Nomor penyesuaian", "Adjustment number"),
    ("Setujui", "Approve"),
    ("Tolak", "Reject"),
    ("Catatan keputusan", "Note on the decision"),
    ("Jumlah, mis. 2,5", "Quantity, e.g. 2,5"),
    ("Nomor dokumen (nota dinas / BA)", "Document number (memo / BA)"),
    ("Keterangan", "Note"),
    ("Nomor mutasi", "Movement number"),
    ("Nomor stock opname", "Stock-take number"),
    ("Nomor lot", "Lot number"),
    ("Jumlah yang dihitung di rak, mis. 97,5", "Quantity counted on the shelf, e.g. 97,5"),
    ("Cari nama, NIK, No. KK atau no. registrasi WBP", "Search a name, NIK, No. KK or inmate's registration number"),
    ("Jumlah baris", "Number of rows"),
    ("Lewati sekian baris", "Skip this many rows"),
    ("Berkas XLSX atau CSV", "XLSX or CSV file"),
    ("Berkas XLSX tujuan", "Destination XLSX file"),
    ("Semua, termasuk yang sudah diselesaikan", "All, including those settled"),
    ("Nomor pasangan", "Pair number"),
    ("Dua keluarga berbeda", "Two different families"),
    ("Kode keluarga yang dipertahankan; yang lain digabung ke dalamnya", "Code of the family kept; the other is merged into it"),
    ("Catatan (dicatat di log audit)", "Note (recorded in the audit log)"),
    ("Berkas bundel (.bansos-bundle)", "Bundle file (.bansos-bundle)"),
    ("Berkas jawaban Kanwil, atau folder berisi jawaban", "Kanwil answer files, or folders holding them"),
    ("Berkas pendaftaran UPT (.bansos-registration)", "Facility registration file (.bansos-registration)"),
    ("Tanggal 1–28 bulan berikutnya", "Day 1–28 of the following month"),
    ("Folder tujuan", "Destination folder"),
    ("Berkas bundel atau folder (mis. flashdisk)", "Bundle files or folders (e.g. a USB stick)"),
    ("Pernyataan ganti kunci (.bansos-key-rotation)", "Key rotation statement (.bansos-key-rotation)"),
    ("Berkas daftar nama (.bansos-byname)", "By-name list file (.bansos-byname)"),
    ("NIK kepala keluarga (16 angka)", "The head's NIK (16 digits)"),
    ("No. KK (16 angka)", "Family card number, No. KK (16 digits)"),
    ("Alamat", "Address"),
    ("RT", "RT"),
    ("RW", "RW"),
    ("Nama WBP (untuk keluarga WBP)", "The inmate's name (for an inmate's family)"),
    ("Nomor registrasi WBP", "The inmate's registration number"),
    ("Keterangan alasan kurang mampu", "Note on why the family is poor"),
    ("Mulai stock opname: saldo tercatat setiap lot, hitungan dimasukkan per lot", "Start a stock-take: every lot's recorded balance, counts entered lot by lot"),
    ("Lembar stock opname dengan hitungan dan selisihnya", "A stock-take's sheet with its counts and differences"),
    ("Masukkan hitungan satu lot", "Enter one lot's count"),
    ("Setujui stock opname (Verifikator): selisihnya menjadi penyesuaian", "Approve a stock-take (Verifikator): its differences become adjustments"),
    ("Batalkan stock opname", "Cancel a stock-take"),
    ("Nomor telepon", "Phone number"),
];

fn en(text: &str) -> String {
    HELP_EN
        .iter()
        .find(|(id, _)| *id == text)
        .map_or_else(|| text.to_owned(), |(_, en)| (*en).to_owned())
}

/// The same command tree with every about and help text in English.
pub fn english(cmd: Command) -> Command {
    let mut cmd = cmd;
    if let Some(a) = cmd.get_about().map(ToString::to_string) {
        cmd = cmd.about(en(&a));
    }
    if let Some(a) = cmd.get_long_about().map(ToString::to_string) {
        cmd = cmd.long_about(en(&a));
    }
    let args: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in args {
        cmd = cmd.mut_arg(id, |a| {
            let a = match a.get_help().map(ToString::to_string) {
                Some(h) => a.help(en(&h)),
                None => a,
            };
            match a.get_long_help().map(ToString::to_string) {
                Some(h) => a.long_help(en(&h)),
                None => a,
            }
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for s in subs {
        cmd = cmd.mut_subcommand(s, english);
    }
    cmd
}

/// clap's own words around the texts — the usage line, the headings, the help and version
/// flags, defaults, choices and environment variables — in the run's language (clap has them in
/// English only). `root` adds the version flag.
pub fn scaffold(cmd: Command, english: bool, root: bool) -> Command {
    let w = |id: &'static str, en: &'static str| if english { en } else { id };
    let mut cmd = cmd
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .subcommand_help_heading(w("Perintah", "Commands"))
        .subcommand_value_name(w("PERINTAH", "COMMAND"))
        .help_template(if english {
            "{about-with-newline}\nUsage: {usage}\n\n{all-args}{after-help}"
        } else {
            "{about-with-newline}\nPemakaian: {usage}\n\n{all-args}{after-help}"
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(w("Tampilkan bantuan ini", "Print this help")),
        );
    if root {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(w("Tampilkan versi program", "Print the program's version")),
        );
    }
    let args: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for id in args {
        cmd = cmd.mut_arg(id, |a| {
            let mut notes = Vec::new();
            let mut a = a;
            // A flag (--json) has no value to default or choose.
            let takes_value = a.get_action().takes_values();
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .filter(|v| !v.is_empty())
                .collect();
            if takes_value && !a.is_hide_default_value_set() {
                if !defaults.is_empty() {
                    notes.push(format!(
                        "[{}: {}]",
                        w("bawaan", "default"),
                        defaults.join(", ")
                    ));
                }
                a = a.hide_default_value(true);
            }
            if takes_value && !a.is_hide_possible_values_set() {
                let names: Vec<String> = a
                    .get_possible_values()
                    .iter()
                    .filter(|v| !v.is_hide_set())
                    .map(|v| v.get_name().to_owned())
                    .collect();
                if !names.is_empty() {
                    notes.push(format!(
                        "[{}: {}]",
                        w("pilihan", "choices"),
                        names.join(", ")
                    ));
                    a = a.hide_possible_values(true);
                }
            }
            if let Some(env) = a.get_env().map(|e| e.to_string_lossy().into_owned()) {
                if !a.is_hide_env_set() {
                    notes.push(format!("[{}: {env}]", w("variabel lingkungan", "env")));
                    a = a.hide_env(true);
                }
            }
            if !notes.is_empty() {
                let help = a.get_help().map(ToString::to_string).unwrap_or_default();
                a = a.help(format!("{help} {}", notes.join(" ")).trim().to_owned());
            }
            if a.get_help_heading().is_none() {
                let heading = if a.is_positional() {
                    w("Argumen", "Arguments")
                } else {
                    w("Opsi", "Options")
                };
                a = a.help_heading(heading);
            }
            a
        });
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for s in subs {
        cmd = cmd.mut_subcommand(s, |c| scaffold(c, english, false));
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn texts(cmd: &Command, out: &mut Vec<String>) {
        out.extend(cmd.get_about().map(ToString::to_string));
        out.extend(cmd.get_long_about().map(ToString::to_string));
        for a in cmd.get_arguments() {
            out.extend(a.get_help().map(ToString::to_string));
            out.extend(a.get_long_help().map(ToString::to_string));
        }
        for s in cmd.get_subcommands() {
            texts(s, out);
        }
    }

    fn unexplained(cmd: &Command, path: &str, out: &mut Vec<String>) {
        for a in cmd.get_arguments() {
            if a.get_help().is_none() && a.get_long_help().is_none() && !a.is_hide_set() {
                out.push(format!("{path} {}", a.get_id()));
            }
        }
        for s in cmd.get_subcommands() {
            if s.get_about().is_none() {
                out.push(format!("{path} {} (the command)", s.get_name()));
            }
            unexplained(s, &format!("{path} {}", s.get_name()), out);
        }
    }

    /// Every argument and command says what it is (`--help` lists none without a word).
    #[test]
    fn every_argument_and_command_has_its_help() {
        let mut missing = Vec::new();
        unexplained(&crate::Cli::command(), "bansos", &mut missing);
        assert!(missing.is_empty(), "without help: {missing:#?}");
    }

    #[test]
    fn every_help_text_has_its_english() {
        let mut all = Vec::new();
        texts(&crate::Cli::command(), &mut all);
        let mut missing: Vec<&String> = all
            .iter()
            .filter(|t| !HELP_EN.iter().any(|(id, _)| id == t))
            .collect();
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "{} help texts without English:\n{}",
            missing.len(),
            missing
                .iter()
                .map(|t| format!("{t:?}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        let mut english_texts = Vec::new();
        texts(&english(crate::Cli::command()), &mut english_texts);
        assert_eq!(english_texts.len(), all.len());
    }
}
