// One uniqueness constraint per node key (docs/graph-model.md). Applied by `graphkit schema apply`.
CREATE CONSTRAINT seller_key IF NOT EXISTS FOR (n:Seller) REQUIRE n.seller_id IS UNIQUE;
CREATE CONSTRAINT brand_key IF NOT EXISTS FOR (n:Brand) REQUIRE n.brand_id IS UNIQUE;
CREATE CONSTRAINT product_key IF NOT EXISTS FOR (n:Product) REQUIRE n.product_id IS UNIQUE;
CREATE CONSTRAINT reviewer_key IF NOT EXISTS FOR (n:Reviewer) REQUIRE n.reviewer_id IS UNIQUE;
CREATE CONSTRAINT device_key IF NOT EXISTS FOR (n:Device) REQUIRE n.device_id IS UNIQUE;
CREATE CONSTRAINT payment_instrument_key IF NOT EXISTS FOR (n:PaymentInstrument) REQUIRE n.token IS UNIQUE;
CREATE CONSTRAINT ip_key IF NOT EXISTS FOR (n:IP) REQUIRE n.ip IS UNIQUE;
CREATE CONSTRAINT email_key IF NOT EXISTS FOR (n:Email) REQUIRE n.hash IS UNIQUE;
CREATE CONSTRAINT phone_key IF NOT EXISTS FOR (n:Phone) REQUIRE n.hash IS UNIQUE;
CREATE CONSTRAINT address_key IF NOT EXISTS FOR (n:Address) REQUIRE n.hash IS UNIQUE;
CREATE CONSTRAINT sync_run_key IF NOT EXISTS FOR (n:SyncRun) REQUIRE n.run_id IS UNIQUE;
CREATE CONSTRAINT quarantined_row_key IF NOT EXISTS FOR (n:QuarantinedRow) REQUIRE n.digest IS UNIQUE;
CREATE CONSTRAINT pending_row_key IF NOT EXISTS FOR (n:PendingRow) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT lease_key IF NOT EXISTS FOR (n:Lease) REQUIRE n.feed IS UNIQUE;
CREATE CONSTRAINT hash_key_name IF NOT EXISTS FOR (n:HashKey) REQUIRE n.name IS UNIQUE;
CREATE CONSTRAINT watermark_key IF NOT EXISTS FOR (n:Watermark) REQUIRE n.feed IS UNIQUE;
