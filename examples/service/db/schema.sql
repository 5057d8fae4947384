-- The service's schema after every migration in db/migrations has run.
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  tier TEXT NOT NULL DEFAULT 'free' CHECK (tier IN ('free', 'pro', 'enterprise')),
  created_at TEXT NOT NULL
);

CREATE TABLE admin_users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'support', 'viewer')),
  active INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX customers_by_tier ON customers (tier);
