// GET /customers/:id and GET /customers?page=N
import type { CustomerRepository } from '../repository/customer-repository.ts';
import { customerToJson } from '../serialization/json.ts';
import { json, problem, type Request, type Response } from './http-types.ts';

const PAGE_SIZE = 20;

export function getCustomer(id: string, customers: CustomerRepository): Response {
  const customer = customers.find(Number(id));
  return customer ? json(200, customerToJson(customer)) : problem(404, `no customer ${id}`);
}

export function listCustomers(request: Request, customers: CustomerRepository): Response {
  const page = Number(request.query.get('page') ?? '1');
  if (!Number.isInteger(page) || page < 1) return problem(400, 'page must be a positive integer');
  return json(200, { page, customers: customers.page(page, PAGE_SIZE).map(customerToJson) });
}
