-- The store backs the limits on entered values (src/limits.rs), so that no stored quantity or
-- value, even one written by raw SQL, can make a sum overflow and break every stock report:
-- a quantity is at most a million units (in thousandths), a value at most a hundred billion
-- rupiah (in hundredths).

CREATE TRIGGER movement_qty_limit BEFORE INSERT ON movement
WHEN abs(NEW.qty_milli) > 1000000000
BEGIN SELECT RAISE(ABORT, 'a movement of more than a million units'); END;

CREATE TRIGGER lot_limits BEFORE INSERT ON lot
WHEN NEW.received_milli > 1000000000 OR NEW.value_cents > 10000000000000
BEGIN SELECT RAISE(ABORT, 'a lot of more than a million units or a hundred billion rupiah'); END;

CREATE TRIGGER template_line_limit BEFORE INSERT ON template_line
WHEN NEW.qty_milli > 1000000000
BEGIN SELECT RAISE(ABORT, 'a package line of more than a million units'); END;

CREATE TRIGGER adjustment_limit BEFORE INSERT ON adjustment
WHEN abs(NEW.qty_milli) > 1000000000
BEGIN SELECT RAISE(ABORT, 'an adjustment of more than a million units'); END;

CREATE TRIGGER item_minimum_limit BEFORE UPDATE OF min_milli ON item
WHEN NEW.min_milli > 1000000000
BEGIN SELECT RAISE(ABORT, 'a minimum of more than a million units'); END;
