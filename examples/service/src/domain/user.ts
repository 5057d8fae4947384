// Admin users of the back office and what each role may do.

export const ROLES = ['admin', 'support', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface AdminUser {
  id: number;
  name: string;
  email: string;
  role: Role;
  active: boolean;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** Only admins may see the full user list; support staff see active users only. */
export function canListUsers(role: Role): boolean {
  return role === 'admin' || role === 'support';
}
