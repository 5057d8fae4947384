CREATE INDEX customers_by_tier ON customers (tier);
