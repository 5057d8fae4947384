// GET /admin/users: the admin user list, for admins and support staff.
import { canListUsers, isRole } from '../domain/user.ts';
import type { UserRepository } from '../repository/user-repository.ts';
import { userToJson } from '../serialization/json.ts';
import { json, problem, type Request, type Response } from './http-types.ts';

export function listUsers(request: Request, users: UserRepository): Response {
  const caller = request.headers['x-role'] ?? '';
  if (!isRole(caller)) return problem(401, 'missing or unknown x-role header');
  if (!canListUsers(caller)) return problem(403, `role ${caller} may not list users`);
  const roleFilter = request.query.get('role');
  if (roleFilter !== null && !isRole(roleFilter)) return problem(400, `unknown role filter: ${roleFilter}`);
  const list = users.list({ ...(roleFilter ? { role: roleFilter } : {}), activeOnly: caller === 'support' });
  return json(200, { users: list.map(userToJson) });
}
