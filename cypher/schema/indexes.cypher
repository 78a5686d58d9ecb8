// Indexes the loaders and query packs lean on. Applied by `graphkit schema apply`.
CREATE INDEX seller_status IF NOT EXISTS FOR (n:Seller) ON (n.status);
CREATE INDEX seller_registered_at IF NOT EXISTS FOR (n:Seller) ON (n.registered_at);
CREATE INDEX reviewer_status IF NOT EXISTS FOR (n:Reviewer) ON (n.status);
CREATE INDEX reviewed_review_id IF NOT EXISTS FOR ()-[r:REVIEWED]-() ON (r.review_id);
CREATE INDEX reviewed_ts IF NOT EXISTS FOR ()-[r:REVIEWED]-() ON (r.ts);
CREATE INDEX device_benign IF NOT EXISTS FOR (n:Device) ON (n.benign);
CREATE INDEX payment_instrument_benign IF NOT EXISTS FOR (n:PaymentInstrument) ON (n.benign);
CREATE INDEX ip_benign IF NOT EXISTS FOR (n:IP) ON (n.benign);
CREATE INDEX email_benign IF NOT EXISTS FOR (n:Email) ON (n.benign);
CREATE INDEX phone_benign IF NOT EXISTS FOR (n:Phone) ON (n.benign);
CREATE INDEX address_benign IF NOT EXISTS FOR (n:Address) ON (n.benign);
CREATE INDEX pending_row_feed IF NOT EXISTS FOR (n:PendingRow) ON (n.feed);
CREATE INDEX sync_run_feed IF NOT EXISTS FOR (n:SyncRun) ON (n.feed, n.started_at);
