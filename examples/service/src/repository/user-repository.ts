// Admin users, kept in memory (the production service backs this with the admin_users table).
import type { AdminUser, Role } from '../domain/user.ts';

export interface UserQuery {
  role?: Role;
  activeOnly?: boolean;
}

export class UserRepository {
  readonly #users: AdminUser[];

  constructor(users: readonly AdminUser[]) {
    this.#users = users.map((u) => ({ ...u }));
  }

  list(query: UserQuery = {}): AdminUser[] {
    return this.#users
      .filter((u) => (query.role ? u.role === query.role : true))
      .filter((u) => (query.activeOnly ? u.active : true))
      .sort((a, b) => a.id - b.id)
      .map((u) => ({ ...u }));
  }

  find(id: number): AdminUser | undefined {
    const user = this.#users.find((u) => u.id === id);
    return user ? { ...user } : undefined;
  }
}
