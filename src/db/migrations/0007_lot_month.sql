-- Each lot's net movement per calendar month, kept by the movement trigger, so a balance as of
-- any date is the sum of whole months before it (a few rows per lot) plus that month's own
-- movements up to the day, instead of a sum over ten years of movements. `bansos stock verify`
-- checks it against the movements.

CREATE TABLE lot_month (
    lot_id    INTEGER NOT NULL REFERENCES lot (id),
    month     TEXT NOT NULL,          -- 'YYYY-MM'
    item_id   INTEGER NOT NULL REFERENCES item (id),
    net_milli INTEGER NOT NULL,
    PRIMARY KEY (lot_id, month)
) WITHOUT ROWID;
CREATE INDEX lot_month_item ON lot_month (item_id, month);

INSERT INTO lot_month (lot_id, month, item_id, net_milli)
SELECT lot_id, substr(date, 1, 7), item_id, sum(qty_milli) FROM movement GROUP BY lot_id, substr(date, 1, 7);

CREATE TRIGGER movement_lot_month AFTER INSERT ON movement
BEGIN
    INSERT INTO lot_month (lot_id, month, item_id, net_milli)
    VALUES (NEW.lot_id, substr(NEW.date, 1, 7), NEW.item_id, NEW.qty_milli)
    ON CONFLICT (lot_id, month) DO UPDATE SET net_milli = net_milli + excluded.net_milli;
END;

-- A lot's movements by date: the part of a month up to a day.
CREATE INDEX movement_lot_date ON movement (lot_id, date);
