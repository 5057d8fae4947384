// Customers, kept in memory (the production service backs this with the customers table).
import { validateCustomer, type Customer } from '../domain/customer.ts';

export class CustomerRepository {
  readonly #customers = new Map<number, Customer>();

  constructor(customers: readonly Partial<Customer>[] = []) {
    for (const c of customers) this.save(c);
  }

  save(input: Partial<Customer>): Customer {
    const customer = validateCustomer(input);
    this.#customers.set(customer.id, customer);
    return customer;
  }

  find(id: number): Customer | undefined {
    return this.#customers.get(id);
  }

  /** Customers sorted by id, one page at a time (pages start at 1). */
  page(page: number, size: number): Customer[] {
    const all = [...this.#customers.values()].sort((a, b) => a.id - b.id);
    const start = (page - 1) * size;
    return all.slice(start, start + size);
  }
}
