import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CustomerValidationError, validateCustomer } from '../src/domain/customer.ts';
import { route } from '../src/http/router.ts';
import { welcomeEmail } from '../src/notifications/customer-notifier.ts';
import { CustomerRepository } from '../src/repository/customer-repository.ts';
import { UserRepository } from '../src/repository/user-repository.ts';
import { SAMPLE_CUSTOMERS, SAMPLE_USERS } from '../src/sample-data.ts';

const services = { users: new UserRepository(SAMPLE_USERS), customers: new CustomerRepository(SAMPLE_CUSTOMERS) };
const get = (path: string, query = '') => route({ method: 'GET', path, query: new URLSearchParams(query), headers: { 'x-role': 'admin' } }, services);

test('validates customers', () => {
  assert.throws(() => validateCustomer({ id: 1, name: 'x', email: 'nope' }), CustomerValidationError);
  assert.equal(validateCustomer({ id: 1, name: ' X ', email: 'A@B.test' }).email, 'a@b.test');
});

test('gets one customer or 404', () => {
  assert.deepEqual(JSON.parse(get('/customers/11').body), { id: 11, name: 'Globex, Inc.', email: 'it@globex.test', tier: 'enterprise', created_at: '2026-02-11T10:30:00.000Z' });
  assert.equal(get('/customers/99').status, 404);
});

test('pages customers', () => {
  const body = JSON.parse(get('/customers', 'page=1').body) as { customers: { id: number }[] };
  assert.deepEqual(body.customers.map((c) => c.id), [10, 11, 12]);
  assert.equal(get('/customers', 'page=0').status, 400);
});

test('welcomes new customers by plan', () => {
  const customer = services.customers.find(12)!;
  assert.match(welcomeEmail(customer).body, /free plan/);
});

test('unknown routes are 404', () => {
  assert.equal(get('/nope').status, 404);
});
