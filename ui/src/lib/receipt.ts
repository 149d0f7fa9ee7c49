// The default BAST numbering pattern, offered in the first-run wizard; the same as
// `facility::DEFAULT_RECEIPT_PATTERN` in the core, which renders and checks every pattern.
export const DEFAULT_RECEIPT_PATTERN = "{seq:3}/BAST-BANSOS/{code}/{month_roman}/{year}";
