// Sample data for local runs and tests.
import type { Customer } from './domain/customer.ts';
import type { AdminUser } from './domain/user.ts';

export const SAMPLE_USERS: AdminUser[] = [
  { id: 1, name: 'Ada Lovelace', email: 'ada@acme.test', role: 'admin', active: true },
  { id: 2, name: 'Grace Hopper', email: 'grace@acme.test', role: 'support', active: true },
  { id: 3, name: 'Alan Turing', email: 'alan@acme.test', role: 'viewer', active: false },
  { id: 4, name: 'Barbara Liskov', email: 'barbara@acme.test', role: 'support', active: false },
  { id: 5, name: 'Edsger Dijkstra', email: 'edsger@acme.test', role: 'viewer', active: true },
];

export const SAMPLE_CUSTOMERS: Partial<Customer>[] = [
  { id: 10, name: 'Initech', email: 'ops@initech.test', tier: 'pro', createdAt: '2026-01-05T09:00:00.000Z' },
  { id: 11, name: 'Globex, Inc.', email: 'it@globex.test', tier: 'enterprise', createdAt: '2026-02-11T10:30:00.000Z' },
  { id: 12, name: 'Hooli', email: 'admin@hooli.test', tier: 'free', createdAt: '2026-03-20T15:45:00.000Z' },
];
