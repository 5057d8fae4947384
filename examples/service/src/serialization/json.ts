// JSON bodies for the HTTP layer.
import type { Customer } from '../domain/customer.ts';
import type { AdminUser } from '../domain/user.ts';

export function customerToJson(customer: Customer): Record<string, unknown> {
  return { id: customer.id, name: customer.name, email: customer.email, tier: customer.tier, created_at: customer.createdAt };
}

export function userToJson(user: AdminUser): Record<string, unknown> {
  return { id: user.id, name: user.name, email: user.email, role: user.role, active: user.active };
}
