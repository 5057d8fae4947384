CREATE TABLE admin_users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'support', 'viewer')),
  active INTEGER NOT NULL DEFAULT 1
);
