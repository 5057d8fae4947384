// Routes requests to handlers.
import type { CustomerRepository } from '../repository/customer-repository.ts';
import type { UserRepository } from '../repository/user-repository.ts';
import { getCustomer, listCustomers } from './customers-handler.ts';
import { problem, type Request, type Response } from './http-types.ts';
import { listUsers } from './users-handler.ts';

export interface Services {
  users: UserRepository;
  customers: CustomerRepository;
}

export function route(request: Request, services: Services): Response {
  if (request.method !== 'GET') return problem(405, 'only GET is supported');
  if (request.path === '/admin/users') return listUsers(request, services.users);
  if (request.path === '/customers') return listCustomers(request, services.customers);
  const customer = /^\/customers\/(\d+)$/.exec(request.path);
  if (customer) return getCustomer(customer[1]!, services.customers);
  return problem(404, `no route for ${request.path}`);
}
