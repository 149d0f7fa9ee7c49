-- Every TEXT column has a length limit (src/limits.rs, STORE_TEXT; a test compares the two), so
-- that not even raw SQL stores a text that breaks a printed paper, a screen or a report. A column
-- holding only listed values is bounded by its CHECK … IN instead. The message names the column;
-- the program turns it into a refusal naming the field.

CREATE TRIGGER text_limits_adjustment_insert BEFORE INSERT ON adjustment
BEGIN
    SELECT RAISE(ABORT, 'text too long: adjustment.note') WHERE length(NEW.note) > 500;
    SELECT RAISE(ABORT, 'text too long: adjustment.requested_by') WHERE length(NEW.requested_by) > 32;
    SELECT RAISE(ABORT, 'text too long: adjustment.requested_at') WHERE length(NEW.requested_at) > 40;
    SELECT RAISE(ABORT, 'text too long: adjustment.decided_by') WHERE length(NEW.decided_by) > 32;
    SELECT RAISE(ABORT, 'text too long: adjustment.decided_at') WHERE length(NEW.decided_at) > 40;
    SELECT RAISE(ABORT, 'text too long: adjustment.decision_note') WHERE length(NEW.decision_note) > 500;
END;

CREATE TRIGGER text_limits_adjustment_update BEFORE UPDATE ON adjustment
BEGIN
    SELECT RAISE(ABORT, 'text too long: adjustment.note') WHERE length(NEW.note) > 500;
    SELECT RAISE(ABORT, 'text too long: adjustment.requested_by') WHERE length(NEW.requested_by) > 32;
    SELECT RAISE(ABORT, 'text too long: adjustment.requested_at') WHERE length(NEW.requested_at) > 40;
    SELECT RAISE(ABORT, 'text too long: adjustment.decided_by') WHERE length(NEW.decided_by) > 32;
    SELECT RAISE(ABORT, 'text too long: adjustment.decided_at') WHERE length(NEW.decided_at) > 40;
    SELECT RAISE(ABORT, 'text too long: adjustment.decision_note') WHERE length(NEW.decision_note) > 500;
END;

CREATE TRIGGER text_limits_attachment_insert BEFORE INSERT ON attachment
BEGIN
    SELECT RAISE(ABORT, 'text too long: attachment.owner_kind') WHERE length(NEW.owner_kind) > 40;
    SELECT RAISE(ABORT, 'text too long: attachment.file_name') WHERE length(NEW.file_name) > 255;
    SELECT RAISE(ABORT, 'text too long: attachment.mime') WHERE length(NEW.mime) > 100;
    SELECT RAISE(ABORT, 'text too long: attachment.sha256') WHERE length(NEW.sha256) > 128;
    SELECT RAISE(ABORT, 'text too long: attachment.note') WHERE length(NEW.note) > 500;
    SELECT RAISE(ABORT, 'text too long: attachment.added_at') WHERE length(NEW.added_at) > 40;
    SELECT RAISE(ABORT, 'text too long: attachment.added_by') WHERE length(NEW.added_by) > 32;
END;

CREATE TRIGGER text_limits_attachment_update BEFORE UPDATE ON attachment
BEGIN
    SELECT RAISE(ABORT, 'text too long: attachment.owner_kind') WHERE length(NEW.owner_kind) > 40;
    SELECT RAISE(ABORT, 'text too long: attachment.file_name') WHERE length(NEW.file_name) > 255;
    SELECT RAISE(ABORT, 'text too long: attachment.mime') WHERE length(NEW.mime) > 100;
    SELECT RAISE(ABORT, 'text too long: attachment.sha256') WHERE length(NEW.sha256) > 128;
    SELECT RAISE(ABORT, 'text too long: attachment.note') WHERE length(NEW.note) > 500;
    SELECT RAISE(ABORT, 'text too long: attachment.added_at') WHERE length(NEW.added_at) > 40;
    SELECT RAISE(ABORT, 'text too long: attachment.added_by') WHERE length(NEW.added_by) > 32;
END;

CREATE TRIGGER text_limits_audit_log_insert BEFORE INSERT ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'text too long: audit_log.at') WHERE length(NEW.at) > 40;
    SELECT RAISE(ABORT, 'text too long: audit_log.actor') WHERE length(NEW.actor) > 64;
    SELECT RAISE(ABORT, 'text too long: audit_log.action') WHERE length(NEW.action) > 100;
    SELECT RAISE(ABORT, 'text too long: audit_log.entity') WHERE length(NEW.entity) > 100;
    SELECT RAISE(ABORT, 'text too long: audit_log.entity_id') WHERE length(NEW.entity_id) > 300;
    SELECT RAISE(ABORT, 'text too long: audit_log.old') WHERE length(NEW.old) > 200000;
    SELECT RAISE(ABORT, 'text too long: audit_log.new') WHERE length(NEW.new) > 200000;
END;

CREATE TRIGGER text_limits_audit_log_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'text too long: audit_log.at') WHERE length(NEW.at) > 40;
    SELECT RAISE(ABORT, 'text too long: audit_log.actor') WHERE length(NEW.actor) > 64;
    SELECT RAISE(ABORT, 'text too long: audit_log.action') WHERE length(NEW.action) > 100;
    SELECT RAISE(ABORT, 'text too long: audit_log.entity') WHERE length(NEW.entity) > 100;
    SELECT RAISE(ABORT, 'text too long: audit_log.entity_id') WHERE length(NEW.entity_id) > 300;
    SELECT RAISE(ABORT, 'text too long: audit_log.old') WHERE length(NEW.old) > 200000;
    SELECT RAISE(ABORT, 'text too long: audit_log.new') WHERE length(NEW.new) > 200000;
END;

CREATE TRIGGER text_limits_donor_insert BEFORE INSERT ON donor
BEGIN
    SELECT RAISE(ABORT, 'text too long: donor.name') WHERE length(NEW.name) > 100;
    SELECT RAISE(ABORT, 'text too long: donor.name_key') WHERE length(NEW.name_key) > 200;
    SELECT RAISE(ABORT, 'text too long: donor.contact') WHERE length(NEW.contact) > 200;
    SELECT RAISE(ABORT, 'text too long: donor.created_at') WHERE length(NEW.created_at) > 40;
END;

CREATE TRIGGER text_limits_donor_update BEFORE UPDATE ON donor
BEGIN
    SELECT RAISE(ABORT, 'text too long: donor.name') WHERE length(NEW.name) > 100;
    SELECT RAISE(ABORT, 'text too long: donor.name_key') WHERE length(NEW.name_key) > 200;
    SELECT RAISE(ABORT, 'text too long: donor.contact') WHERE length(NEW.contact) > 200;
    SELECT RAISE(ABORT, 'text too long: donor.created_at') WHERE length(NEW.created_at) > 40;
END;

CREATE TRIGGER text_limits_duplicate_pair_insert BEFORE INSERT ON duplicate_pair
BEGIN
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.detail') WHERE length(NEW.detail) > 4000;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.found_at') WHERE length(NEW.found_at) > 40;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.resolved_by') WHERE length(NEW.resolved_by) > 32;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.resolved_at') WHERE length(NEW.resolved_at) > 40;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.note') WHERE length(NEW.note) > 500;
END;

CREATE TRIGGER text_limits_duplicate_pair_update BEFORE UPDATE ON duplicate_pair
BEGIN
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.detail') WHERE length(NEW.detail) > 4000;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.found_at') WHERE length(NEW.found_at) > 40;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.resolved_by') WHERE length(NEW.resolved_by) > 32;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.resolved_at') WHERE length(NEW.resolved_at) > 40;
    SELECT RAISE(ABORT, 'text too long: duplicate_pair.note') WHERE length(NEW.note) > 500;
END;

CREATE TRIGGER text_limits_event_insert BEFORE INSERT ON event
BEGIN
    SELECT RAISE(ABORT, 'text too long: event.date') WHERE length(NEW.date) > 10;
    SELECT RAISE(ABORT, 'text too long: event.place') WHERE length(NEW.place) > 200;
    SELECT RAISE(ABORT, 'text too long: event.officials') WHERE length(NEW.officials) > 20000;
    SELECT RAISE(ABORT, 'text too long: event.note') WHERE length(NEW.note) > 500;
    SELECT RAISE(ABORT, 'text too long: event.created_at') WHERE length(NEW.created_at) > 40;
    SELECT RAISE(ABORT, 'text too long: event.created_by') WHERE length(NEW.created_by) > 32;
    SELECT RAISE(ABORT, 'text too long: event.approved_by') WHERE length(NEW.approved_by) > 32;
    SELECT RAISE(ABORT, 'text too long: event.approved_at') WHERE length(NEW.approved_at) > 40;
    SELECT RAISE(ABORT, 'text too long: event.closed_at') WHERE length(NEW.closed_at) > 40;
    SELECT RAISE(ABORT, 'text too long: event.cancel_reason') WHERE length(NEW.cancel_reason) > 500;
END;

CREATE TRIGGER text_limits_event_update BEFORE UPDATE ON event
BEGIN
    SELECT RAISE(ABORT, 'text too long: event.date') WHERE length(NEW.date) > 10;
    SELECT RAISE(ABORT, 'text too long: event.place') WHERE length(NEW.place) > 200;
    SELECT RAISE(ABORT, 'text too long: event.officials') WHERE length(NEW.officials) > 20000;
    SELECT RAISE(ABORT, 'text too long: event.note') WHERE length(NEW.note) > 500;
    SELECT RAISE(ABORT, 'text too long: event.created_at') WHERE length(NEW.created_at) > 40;
    SELECT RAISE(ABORT, 'text too long: event.created_by') WHERE length(NEW.created_by) > 32;
    SELECT RAISE(ABORT, 'text too long: event.approved_by') WHERE length(NEW.approved_by) > 32;
    SELECT RAISE(ABORT, 'text too long: event.approved_at') WHERE length(NEW.approved_at) > 40;
    SELECT RAISE(ABORT, 'text too long: event.closed_at') WHERE length(NEW.closed_at) > 40;
    SELECT RAISE(ABORT, 'text too long: event.cancel_reason') WHERE length(NEW.cancel_reason) > 500;
END;

CREATE TRIGGER text_limits_event_recipient_insert BEFORE INSERT ON event_recipient
BEGIN
    SELECT RAISE(ABORT, 'text too long: event_recipient.added_at') WHERE length(NEW.added_at) > 40;
    SELECT RAISE(ABORT, 'text too long: event_recipient.added_by') WHERE length(NEW.added_by) > 32;
END;

CREATE TRIGGER text_limits_event_recipient_update BEFORE UPDATE ON event_recipient
BEGIN
    SELECT RAISE(ABORT, 'text too long: event_recipient.added_at') WHERE length(NEW.added_at) > 40;
    SELECT RAISE(ABORT, 'text too long: event_recipient.added_by') WHERE length(NEW.added_by) > 32;
END;

CREATE TRIGGER text_limits_facility_insert BEFORE INSERT ON facility
BEGIN
    SELECT RAISE(ABORT, 'text too long: facility.name') WHERE length(NEW.name) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.class') WHERE length(NEW.class) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.code') WHERE length(NEW.code) > 40;
    SELECT RAISE(ABORT, 'text too long: facility.province') WHERE length(NEW.province) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.kanwil') WHERE length(NEW.kanwil) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.address') WHERE length(NEW.address) > 200;
    SELECT RAISE(ABORT, 'text too long: facility.head_name') WHERE length(NEW.head_name) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.head_nip') WHERE length(NEW.head_nip) > 40;
    SELECT RAISE(ABORT, 'text too long: facility.receipt_pattern') WHERE length(NEW.receipt_pattern) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.created_at') WHERE length(NEW.created_at) > 40;
END;

CREATE TRIGGER text_limits_facility_update BEFORE UPDATE ON facility
BEGIN
    SELECT RAISE(ABORT, 'text too long: facility.name') WHERE length(NEW.name) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.class') WHERE length(NEW.class) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.code') WHERE length(NEW.code) > 40;
    SELECT RAISE(ABORT, 'text too long: facility.province') WHERE length(NEW.province) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.kanwil') WHERE length(NEW.kanwil) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.address') WHERE length(NEW.address) > 200;
    SELECT RAISE(ABORT, 'text too long: facility.head_name') WHERE length(NEW.head_name) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.head_nip') WHERE length(NEW.head_nip) > 40;
    SELECT RAISE(ABORT, 'text too long: facility.receipt_pattern') WHERE length(NEW.receipt_pattern) > 100;
    SELECT RAISE(ABORT, 'text too long: facility.created_at') WHERE length(NEW.created_at) > 40;
END;

CREATE TRIGGER text_limits_family_insert BEFORE INSERT ON family
BEGIN
    SELECT RAISE(ABORT, 'text too long: family.address') WHERE length(NEW.address) > 200;
    SELECT RAISE(ABORT, 'text too long: family.rt') WHERE length(NEW.rt) > 10;
    SELECT RAISE(ABORT, 'text too long: family.rw') WHERE length(NEW.rw) > 10;
    SELECT RAISE(ABORT, 'text too long: family.region_code') WHERE length(NEW.region_code) > 20;
    SELECT RAISE(ABORT, 'text too long: family.region_table') WHERE length(NEW.region_table) > 40;
    SELECT RAISE(ABORT, 'text too long: family.phone') WHERE length(NEW.phone) > 30;
    SELECT RAISE(ABORT, 'text too long: family.wbp_name') WHERE length(NEW.wbp_name) > 100;
    SELECT RAISE(ABORT, 'text too long: family.wbp_reg_no') WHERE length(NEW.wbp_reg_no) > 40;
    SELECT RAISE(ABORT, 'text too long: family.wbp_reg_key') WHERE length(NEW.wbp_reg_key) > 128;
    SELECT RAISE(ABORT, 'text too long: family.wbp_relation') WHERE length(NEW.wbp_relation) > 100;
    SELECT RAISE(ABORT, 'text too long: family.reasons') WHERE length(NEW.reasons) > 2000;
    SELECT RAISE(ABORT, 'text too long: family.reason_note') WHERE length(NEW.reason_note) > 500;
    SELECT RAISE(ABORT, 'text too long: family.consent_date') WHERE length(NEW.consent_date) > 10;
    SELECT RAISE(ABORT, 'text too long: family.verified_by') WHERE length(NEW.verified_by) > 32;
    SELECT RAISE(ABORT, 'text too long: family.verified_at') WHERE length(NEW.verified_at) > 40;
    SELECT RAISE(ABORT, 'text too long: family.evidence_note') WHERE length(NEW.evidence_note) > 500;
    SELECT RAISE(ABORT, 'text too long: family.inactive_reason') WHERE length(NEW.inactive_reason) > 500;
    SELECT RAISE(ABORT, 'text too long: family.source') WHERE length(NEW.source) > 300;
    SELECT RAISE(ABORT, 'text too long: family.created_at') WHERE length(NEW.created_at) > 40;
    SELECT RAISE(ABORT, 'text too long: family.created_by') WHERE length(NEW.created_by) > 32;
    SELECT RAISE(ABORT, 'text too long: family.updated_at') WHERE length(NEW.updated_at) > 40;
END;

CREATE TRIGGER text_limits_family_update BEFORE UPDATE ON family
BEGIN
    SELECT RAISE(ABORT, 'text too long: family.address') WHERE length(NEW.address) > 200;
    SELECT RAISE(ABORT, 'text too long: family.rt') WHERE length(NEW.rt) > 10;
    SELECT RAISE(ABORT, 'text too long: family.rw') WHERE length(NEW.rw) > 10;
    SELECT RAISE(ABORT, 'text too long: family.region_code') WHERE length(NEW.region_code) > 20;
    SELECT RAISE(ABORT, 'text too long: family.region_table') WHERE length(NEW.region_table) > 40;
    SELECT RAISE(ABORT, 'text too long: family.phone') WHERE length(NEW.phone) > 30;
    SELECT RAISE(ABORT, 'text too long: family.wbp_name') WHERE length(NEW.wbp_name) > 100;
    SELECT RAISE(ABORT, 'text too long: family.wbp_reg_no') WHERE length(NEW.wbp_reg_no) > 40;
    SELECT RAISE(ABORT, 'text too long: family.wbp_reg_key') WHERE length(NEW.wbp_reg_key) > 128;
    SELECT RAISE(ABORT, 'text too long: family.wbp_relation') WHERE length(NEW.wbp_relation) > 100;
    SELECT RAISE(ABORT, 'text too long: family.reasons') WHERE length(NEW.reasons) > 2000;
    SELECT RAISE(ABORT, 'text too long: family.reason_note') WHERE length(NEW.reason_note) > 500;
    SELECT RAISE(ABORT, 'text too long: family.consent_date') WHERE length(NEW.consent_date) > 10;
    SELECT RAISE(ABORT, 'text too long: family.verified_by') WHERE length(NEW.verified_by) > 32;
    SELECT RAISE(ABORT, 'text too long: family.verified_at') WHERE length(NEW.verified_at) > 40;
    SELECT RAISE(ABORT, 'text too long: family.evidence_note') WHERE length(NEW.evidence_note) > 500;
    SELECT RAISE(ABORT, 'text too long: family.inactive_reason') WHERE length(NEW.inactive_reason) > 500;
    SELECT RAISE(ABORT, 'text too long: family.source') WHERE length(NEW.source) > 300;
    SELECT RAISE(ABORT, 'text too long: family.created_at') WHERE length(NEW.created_at) > 40;
    SELECT RAISE(ABORT, 'text too long: family.created_by') WHERE length(NEW.created_by) > 32;
    SELECT RAISE(ABORT, 'text too long: family.updated_at') WHERE length(NEW.updated_at) > 40;
END;

CREATE TRIGGER text_limits_handover_insert BEFORE INSERT ON handover
BEGIN
    SELECT RAISE(ABORT, 'text too long: handover.bast_no') WHERE length(NEW.bast_no) > 200;
    SELECT RAISE(ABORT, 'text too long: handover.date') WHERE length(NEW.date) > 10;
    SELECT RAISE(ABORT, 'text too long: handover.at') WHERE length(NEW.at) > 40;
    SELECT RAISE(ABORT, 'text too long: handover.officer') WHERE length(NEW.officer) > 32;
    SELECT RAISE(ABORT, 'text too long: handover.officer_name') WHERE length(NEW.officer_name) > 100;
    SELECT RAISE(ABORT, 'text too long: handover.officer_nip') WHERE length(NEW.officer_nip) > 40;
    SELECT RAISE(ABORT, 'text too long: handover.officer_position') WHERE length(NEW.officer_position) > 100;
    SELECT RAISE(ABORT, 'text too long: handover.recipient_name') WHERE length(NEW.recipient_name) > 100;
    SELECT RAISE(ABORT, 'text too long: handover.recipient_nik') WHERE length(NEW.recipient_nik) > 40;
    SELECT RAISE(ABORT, 'text too long: handover.proxy_relation') WHERE length(NEW.proxy_relation) > 100;
    SELECT RAISE(ABORT, 'text too long: handover.items') WHERE length(NEW.items) > 200000;
    SELECT RAISE(ABORT, 'text too long: handover.voided_at') WHERE length(NEW.voided_at) > 40;
    SELECT RAISE(ABORT, 'text too long: handover.voided_by') WHERE length(NEW.voided_by) > 32;
    SELECT RAISE(ABORT, 'text too long: handover.void_reason') WHERE length(NEW.void_reason) > 500;
    SELECT RAISE(ABORT, 'text too long: handover.qr_payload') WHERE length(NEW.qr_payload) > 4000;
    SELECT RAISE(ABORT, 'text too long: handover.ledger_hash') WHERE length(NEW.ledger_hash) > 128;
    SELECT RAISE(ABORT, 'text too long: handover.recipient_address') WHERE length(NEW.recipient_address) > 400;
    SELECT RAISE(ABORT, 'text too long: handover.wbp_line') WHERE length(NEW.wbp_line) > 400;
    SELECT RAISE(ABORT, 'text too long: handover.printed_at') WHERE length(NEW.printed_at) > 40;
    SELECT RAISE(ABORT, 'text too long: handover.period') WHERE length(NEW.period) > 20;
    SELECT RAISE(ABORT, 'text too long: handover.head_name') WHERE length(NEW.head_name) > 100;
END;

CREATE TRIGGER text_limits_handover_update BEFORE UPDATE ON handover
BEGIN
    SELECT RAISE(ABORT, 'text too long: handover.bast_no') WHERE length(NEW.bast_no) > 200;
    SELECT RAISE(ABORT, 'text too long: handover.date') WHERE length(NEW.date) > 10;
    SELECT RAISE(ABORT, 'text too long: handover.at') WHERE length(NEW.at) > 40;
    SELECT RAISE(ABORT, 'text too long: handover.officer') WHERE length(NEW.officer) > 32;
    SELECT RAISE(ABORT, 'text too long: handover.officer_name') WHERE length(NEW.officer_name) > 100;
    SELECT RAISE(ABORT, 'text too long: handover.officer_nip') WHERE length(NEW.officer_nip) > 40;
    SELECT RAISE(ABORT, 'text too long: handover.officer_position') WHERE length(NEW.officer_position) > 100;
    SELECT RAISE(ABORT, 'text too long: handover.recipient_name') WHERE length(NEW.recipient_name) > 100;
    SELECT RAISE(ABORT, 'text too long: handover.recipient_nik') WHERE length(NEW.recipient_nik) > 40;
    SELECT RAISE(ABORT, 'text too long: handover.proxy_relation') WHERE length(NEW.proxy_relation) > 100;
    SELECT RAISE(ABORT, 'text too long: handover.items') WHERE length(NEW.items) > 200000;
    SELECT RAISE(ABORT, 'text too long: handover.voided_at') WHERE length(NEW.voided_at) > 40;
    SELECT RAISE(ABORT, 'text too long: handover.voided_by') WHERE length(NEW.voided_by) > 32;
    SELECT RAISE(ABORT, 'text too long: handover.void_reason') WHERE length(NEW.void_reason) > 500;
    SELECT RAISE(ABORT, 'text too long: handover.qr_payload') WHERE length(NEW.qr_payload) > 4000;
    SELECT RAISE(ABORT, 'text too long: handover.ledger_hash') WHERE length(NEW.ledger_hash) > 128;
    SELECT RAISE(ABORT, 'text too long: handover.recipient_address') WHERE length(NEW.recipient_address) > 400;
    SELECT RAISE(ABORT, 'text too long: handover.wbp_line') WHERE length(NEW.wbp_line) > 400;
    SELECT RAISE(ABORT, 'text too long: handover.printed_at') WHERE length(NEW.printed_at) > 40;
    SELECT RAISE(ABORT, 'text too long: handover.period') WHERE length(NEW.period) > 20;
    SELECT RAISE(ABORT, 'text too long: handover.head_name') WHERE length(NEW.head_name) > 100;
END;

CREATE TRIGGER text_limits_import_mapping_insert BEFORE INSERT ON import_mapping
BEGIN
    SELECT RAISE(ABORT, 'text too long: import_mapping.header_key') WHERE length(NEW.header_key) > 200000;
    SELECT RAISE(ABORT, 'text too long: import_mapping.mapping') WHERE length(NEW.mapping) > 200000;
    SELECT RAISE(ABORT, 'text too long: import_mapping.used_at') WHERE length(NEW.used_at) > 40;
END;

CREATE TRIGGER text_limits_import_mapping_update BEFORE UPDATE ON import_mapping
BEGIN
    SELECT RAISE(ABORT, 'text too long: import_mapping.header_key') WHERE length(NEW.header_key) > 200000;
    SELECT RAISE(ABORT, 'text too long: import_mapping.mapping') WHERE length(NEW.mapping) > 200000;
    SELECT RAISE(ABORT, 'text too long: import_mapping.used_at') WHERE length(NEW.used_at) > 40;
END;

CREATE TRIGGER text_limits_item_insert BEFORE INSERT ON item
BEGIN
    SELECT RAISE(ABORT, 'text too long: item.code') WHERE length(NEW.code) > 40;
    SELECT RAISE(ABORT, 'text too long: item.name') WHERE length(NEW.name) > 60;
    SELECT RAISE(ABORT, 'text too long: item.unit') WHERE length(NEW.unit) > 20;
    SELECT RAISE(ABORT, 'text too long: item.retired_at') WHERE length(NEW.retired_at) > 40;
    SELECT RAISE(ABORT, 'text too long: item.created_at') WHERE length(NEW.created_at) > 40;
END;

CREATE TRIGGER text_limits_item_update BEFORE UPDATE ON item
BEGIN
    SELECT RAISE(ABORT, 'text too long: item.code') WHERE length(NEW.code) > 40;
    SELECT RAISE(ABORT, 'text too long: item.name') WHERE length(NEW.name) > 60;
    SELECT RAISE(ABORT, 'text too long: item.unit') WHERE length(NEW.unit) > 20;
    SELECT RAISE(ABORT, 'text too long: item.retired_at') WHERE length(NEW.retired_at) > 40;
    SELECT RAISE(ABORT, 'text too long: item.created_at') WHERE length(NEW.created_at) > 40;
END;

CREATE TRIGGER text_limits_kk_history_insert BEFORE INSERT ON kk_history
BEGIN
    SELECT RAISE(ABORT, 'text too long: kk_history.kk') WHERE length(NEW.kk) > 16;
    SELECT RAISE(ABORT, 'text too long: kk_history.reason') WHERE length(NEW.reason) > 500;
    SELECT RAISE(ABORT, 'text too long: kk_history.at') WHERE length(NEW.at) > 40;
    SELECT RAISE(ABORT, 'text too long: kk_history.by_user') WHERE length(NEW.by_user) > 32;
END;

CREATE TRIGGER text_limits_kk_history_update BEFORE UPDATE ON kk_history
BEGIN
    SELECT RAISE(ABORT, 'text too long: kk_history.kk') WHERE length(NEW.kk) > 16;
    SELECT RAISE(ABORT, 'text too long: kk_history.reason') WHERE length(NEW.reason) > 500;
    SELECT RAISE(ABORT, 'text too long: kk_history.at') WHERE length(NEW.at) > 40;
    SELECT RAISE(ABORT, 'text too long: kk_history.by_user') WHERE length(NEW.by_user) > 32;
END;

CREATE TRIGGER text_limits_lot_insert BEFORE INSERT ON lot
BEGIN
    SELECT RAISE(ABORT, 'text too long: lot.lot_code') WHERE length(NEW.lot_code) > 60;
    SELECT RAISE(ABORT, 'text too long: lot.expiry') WHERE length(NEW.expiry) > 10;
END;

CREATE TRIGGER text_limits_lot_update BEFORE UPDATE ON lot
BEGIN
    SELECT RAISE(ABORT, 'text too long: lot.lot_code') WHERE length(NEW.lot_code) > 60;
    SELECT RAISE(ABORT, 'text too long: lot.expiry') WHERE length(NEW.expiry) > 10;
END;

CREATE TRIGGER text_limits_lot_month_insert BEFORE INSERT ON lot_month
BEGIN
    SELECT RAISE(ABORT, 'text too long: lot_month.month') WHERE length(NEW.month) > 7;
END;

CREATE TRIGGER text_limits_lot_month_update BEFORE UPDATE ON lot_month
BEGIN
    SELECT RAISE(ABORT, 'text too long: lot_month.month') WHERE length(NEW.month) > 7;
END;

CREATE TRIGGER text_limits_meta_insert BEFORE INSERT ON meta
BEGIN
    SELECT RAISE(ABORT, 'text too long: meta.key') WHERE length(NEW.key) > 100;
    SELECT RAISE(ABORT, 'text too long: meta.value') WHERE length(NEW.value) > 10000;
END;

CREATE TRIGGER text_limits_meta_update BEFORE UPDATE ON meta
BEGIN
    SELECT RAISE(ABORT, 'text too long: meta.key') WHERE length(NEW.key) > 100;
    SELECT RAISE(ABORT, 'text too long: meta.value') WHERE length(NEW.value) > 10000;
END;

CREATE TRIGGER text_limits_movement_insert BEFORE INSERT ON movement
BEGIN
    SELECT RAISE(ABORT, 'text too long: movement.date') WHERE length(NEW.date) > 10;
    SELECT RAISE(ABORT, 'text too long: movement.at') WHERE length(NEW.at) > 40;
    SELECT RAISE(ABORT, 'text too long: movement.doc_ref') WHERE length(NEW.doc_ref) > 100;
    SELECT RAISE(ABORT, 'text too long: movement.note') WHERE length(NEW.note) > 500;
    SELECT RAISE(ABORT, 'text too long: movement.actor') WHERE length(NEW.actor) > 32;
    SELECT RAISE(ABORT, 'text too long: movement.ref_kind') WHERE length(NEW.ref_kind) > 20;
END;

CREATE TRIGGER text_limits_movement_update BEFORE UPDATE ON movement
BEGIN
    SELECT RAISE(ABORT, 'text too long: movement.date') WHERE length(NEW.date) > 10;
    SELECT RAISE(ABORT, 'text too long: movement.at') WHERE length(NEW.at) > 40;
    SELECT RAISE(ABORT, 'text too long: movement.doc_ref') WHERE length(NEW.doc_ref) > 100;
    SELECT RAISE(ABORT, 'text too long: movement.note') WHERE length(NEW.note) > 500;
    SELECT RAISE(ABORT, 'text too long: movement.actor') WHERE length(NEW.actor) > 32;
    SELECT RAISE(ABORT, 'text too long: movement.ref_kind') WHERE length(NEW.ref_kind) > 20;
END;

CREATE TRIGGER text_limits_opname_insert BEFORE INSERT ON opname
BEGIN
    SELECT RAISE(ABORT, 'text too long: opname.date') WHERE length(NEW.date) > 10;
    SELECT RAISE(ABORT, 'text too long: opname.started_by') WHERE length(NEW.started_by) > 32;
    SELECT RAISE(ABORT, 'text too long: opname.started_at') WHERE length(NEW.started_at) > 40;
    SELECT RAISE(ABORT, 'text too long: opname.decided_by') WHERE length(NEW.decided_by) > 32;
    SELECT RAISE(ABORT, 'text too long: opname.decided_at') WHERE length(NEW.decided_at) > 40;
    SELECT RAISE(ABORT, 'text too long: opname.note') WHERE length(NEW.note) > 500;
END;

CREATE TRIGGER text_limits_opname_update BEFORE UPDATE ON opname
BEGIN
    SELECT RAISE(ABORT, 'text too long: opname.date') WHERE length(NEW.date) > 10;
    SELECT RAISE(ABORT, 'text too long: opname.started_by') WHERE length(NEW.started_by) > 32;
    SELECT RAISE(ABORT, 'text too long: opname.started_at') WHERE length(NEW.started_at) > 40;
    SELECT RAISE(ABORT, 'text too long: opname.decided_by') WHERE length(NEW.decided_by) > 32;
    SELECT RAISE(ABORT, 'text too long: opname.decided_at') WHERE length(NEW.decided_at) > 40;
    SELECT RAISE(ABORT, 'text too long: opname.note') WHERE length(NEW.note) > 500;
END;

CREATE TRIGGER text_limits_opname_line_insert BEFORE INSERT ON opname_line
BEGIN
    SELECT RAISE(ABORT, 'text too long: opname_line.counted_by') WHERE length(NEW.counted_by) > 32;
    SELECT RAISE(ABORT, 'text too long: opname_line.counted_at') WHERE length(NEW.counted_at) > 40;
END;

CREATE TRIGGER text_limits_opname_line_update BEFORE UPDATE ON opname_line
BEGIN
    SELECT RAISE(ABORT, 'text too long: opname_line.counted_by') WHERE length(NEW.counted_by) > 32;
    SELECT RAISE(ABORT, 'text too long: opname_line.counted_at') WHERE length(NEW.counted_at) > 40;
END;

CREATE TRIGGER text_limits_package_template_insert BEFORE INSERT ON package_template
BEGIN
    SELECT RAISE(ABORT, 'text too long: package_template.name') WHERE length(NEW.name) > 100;
    SELECT RAISE(ABORT, 'text too long: package_template.created_at') WHERE length(NEW.created_at) > 40;
    SELECT RAISE(ABORT, 'text too long: package_template.created_by') WHERE length(NEW.created_by) > 32;
END;

CREATE TRIGGER text_limits_package_template_update BEFORE UPDATE ON package_template
BEGIN
    SELECT RAISE(ABORT, 'text too long: package_template.name') WHERE length(NEW.name) > 100;
    SELECT RAISE(ABORT, 'text too long: package_template.created_at') WHERE length(NEW.created_at) > 40;
    SELECT RAISE(ABORT, 'text too long: package_template.created_by') WHERE length(NEW.created_by) > 32;
END;

CREATE TRIGGER text_limits_person_insert BEFORE INSERT ON person
BEGIN
    SELECT RAISE(ABORT, 'text too long: person.name') WHERE length(NEW.name) > 100;
    SELECT RAISE(ABORT, 'text too long: person.name_key') WHERE length(NEW.name_key) > 200;
    SELECT RAISE(ABORT, 'text too long: person.nik') WHERE length(NEW.nik) > 16;
    SELECT RAISE(ABORT, 'text too long: person.birth_date') WHERE length(NEW.birth_date) > 10;
    SELECT RAISE(ABORT, 'text too long: person.relationship') WHERE length(NEW.relationship) > 100;
END;

CREATE TRIGGER text_limits_person_update BEFORE UPDATE ON person
BEGIN
    SELECT RAISE(ABORT, 'text too long: person.name') WHERE length(NEW.name) > 100;
    SELECT RAISE(ABORT, 'text too long: person.name_key') WHERE length(NEW.name_key) > 200;
    SELECT RAISE(ABORT, 'text too long: person.nik') WHERE length(NEW.nik) > 16;
    SELECT RAISE(ABORT, 'text too long: person.birth_date') WHERE length(NEW.birth_date) > 10;
    SELECT RAISE(ABORT, 'text too long: person.relationship') WHERE length(NEW.relationship) > 100;
END;

CREATE TRIGGER text_limits_receipt_insert BEFORE INSERT ON receipt
BEGIN
    SELECT RAISE(ABORT, 'text too long: receipt.date') WHERE length(NEW.date) > 10;
    SELECT RAISE(ABORT, 'text too long: receipt.source_note') WHERE length(NEW.source_note) > 200;
    SELECT RAISE(ABORT, 'text too long: receipt.doc_ref') WHERE length(NEW.doc_ref) > 100;
    SELECT RAISE(ABORT, 'text too long: receipt.received_by') WHERE length(NEW.received_by) > 100;
    SELECT RAISE(ABORT, 'text too long: receipt.note') WHERE length(NEW.note) > 500;
    SELECT RAISE(ABORT, 'text too long: receipt.created_at') WHERE length(NEW.created_at) > 40;
    SELECT RAISE(ABORT, 'text too long: receipt.created_by') WHERE length(NEW.created_by) > 32;
END;

CREATE TRIGGER text_limits_receipt_update BEFORE UPDATE ON receipt
BEGIN
    SELECT RAISE(ABORT, 'text too long: receipt.date') WHERE length(NEW.date) > 10;
    SELECT RAISE(ABORT, 'text too long: receipt.source_note') WHERE length(NEW.source_note) > 200;
    SELECT RAISE(ABORT, 'text too long: receipt.doc_ref') WHERE length(NEW.doc_ref) > 100;
    SELECT RAISE(ABORT, 'text too long: receipt.received_by') WHERE length(NEW.received_by) > 100;
    SELECT RAISE(ABORT, 'text too long: receipt.note') WHERE length(NEW.note) > 500;
    SELECT RAISE(ABORT, 'text too long: receipt.created_at') WHERE length(NEW.created_at) > 40;
    SELECT RAISE(ABORT, 'text too long: receipt.created_by') WHERE length(NEW.created_by) > 32;
END;

CREATE TRIGGER text_limits_regional_key_insert BEFORE INSERT ON regional_key
BEGIN
    SELECT RAISE(ABORT, 'text too long: regional_key.label') WHERE length(NEW.label) > 100;
    SELECT RAISE(ABORT, 'text too long: regional_key.added_at') WHERE length(NEW.added_at) > 40;
    SELECT RAISE(ABORT, 'text too long: regional_key.removed_at') WHERE length(NEW.removed_at) > 40;
END;

CREATE TRIGGER text_limits_regional_key_update BEFORE UPDATE ON regional_key
BEGIN
    SELECT RAISE(ABORT, 'text too long: regional_key.label') WHERE length(NEW.label) > 100;
    SELECT RAISE(ABORT, 'text too long: regional_key.added_at') WHERE length(NEW.added_at) > 40;
    SELECT RAISE(ABORT, 'text too long: regional_key.removed_at') WHERE length(NEW.removed_at) > 40;
END;

CREATE TRIGGER text_limits_staff_insert BEFORE INSERT ON staff
BEGIN
    SELECT RAISE(ABORT, 'text too long: staff.username') WHERE length(NEW.username) > 32;
    SELECT RAISE(ABORT, 'text too long: staff.full_name') WHERE length(NEW.full_name) > 100;
    SELECT RAISE(ABORT, 'text too long: staff.nip') WHERE length(NEW.nip) > 40;
    SELECT RAISE(ABORT, 'text too long: staff.position') WHERE length(NEW.position) > 100;
    SELECT RAISE(ABORT, 'text too long: staff.inactive_reason') WHERE length(NEW.inactive_reason) > 500;
    SELECT RAISE(ABORT, 'text too long: staff.created_at') WHERE length(NEW.created_at) > 40;
END;

CREATE TRIGGER text_limits_staff_update BEFORE UPDATE ON staff
BEGIN
    SELECT RAISE(ABORT, 'text too long: staff.username') WHERE length(NEW.username) > 32;
    SELECT RAISE(ABORT, 'text too long: staff.full_name') WHERE length(NEW.full_name) > 100;
    SELECT RAISE(ABORT, 'text too long: staff.nip') WHERE length(NEW.nip) > 40;
    SELECT RAISE(ABORT, 'text too long: staff.position') WHERE length(NEW.position) > 100;
    SELECT RAISE(ABORT, 'text too long: staff.inactive_reason') WHERE length(NEW.inactive_reason) > 500;
    SELECT RAISE(ABORT, 'text too long: staff.created_at') WHERE length(NEW.created_at) > 40;
END;
