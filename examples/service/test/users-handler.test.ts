import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listUsers } from '../src/http/users-handler.ts';
import { UserRepository } from '../src/repository/user-repository.ts';
import { SAMPLE_USERS } from '../src/sample-data.ts';

const users = new UserRepository(SAMPLE_USERS);
const request = (role: string | undefined, query = '') => ({ method: 'GET', path: '/admin/users', query: new URLSearchParams(query), headers: { 'x-role': role } });
const ids = (body: string) => (JSON.parse(body) as { users: { id: number }[] }).users.map((u) => u.id);

test('admins see every user', () => {
  const response = listUsers(request('admin'), users);
  assert.equal(response.status, 200);
  assert.deepEqual(ids(response.body), [1, 2, 3, 4, 5]);
});

test('support sees active users only', () => {
  assert.deepEqual(ids(listUsers(request('support'), users).body), [1, 2, 5]);
});

test('viewers may not list users', () => {
  assert.equal(listUsers(request('viewer'), users).status, 403);
});

test('filters by role', () => {
  assert.deepEqual(ids(listUsers(request('admin', 'role=support'), users).body), [2, 4]);
  assert.equal(listUsers(request('admin', 'role=owner'), users).status, 400);
});

test('requires a known x-role header', () => {
  assert.equal(listUsers(request(undefined), users).status, 401);
});
