import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import { migrate } from '../src/db/migrate.ts';

test('applies every migration once, in order', () => {
  const db = new DatabaseSync(':memory:');
  assert.deepEqual(migrate(db), ['001_create_customers.sql', '002_create_admin_users.sql', '003_index_customers_by_tier.sql']);
  assert.deepEqual(migrate(db), []);
  db.prepare("INSERT INTO customers (id, name, email, tier, created_at) VALUES (1, 'A', 'a@a.test', 'pro', '2026-01-01')").run();
  assert.throws(() => db.prepare("INSERT INTO customers (id, name, email, tier, created_at) VALUES (2, 'B', 'b@b.test', 'gold', '2026-01-01')").run());
});
