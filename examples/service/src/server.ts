// Serves the router over node:http (not used by the tests, which call route() directly).
import { createServer } from 'node:http';
import { CustomerRepository } from './repository/customer-repository.ts';
import { UserRepository } from './repository/user-repository.ts';
import { route } from './http/router.ts';
import { SAMPLE_CUSTOMERS, SAMPLE_USERS } from './sample-data.ts';

const services = { users: new UserRepository(SAMPLE_USERS), customers: new CustomerRepository(SAMPLE_CUSTOMERS) };

createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(req.headers)) headers[key] = Array.isArray(value) ? value[0] : value;
  const response = route({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers }, services);
  res.writeHead(response.status, response.headers).end(response.body);
}).listen(Number(process.env['PORT'] ?? 8080), '127.0.0.1');
