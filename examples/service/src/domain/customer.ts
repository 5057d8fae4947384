// A customer of the company, as every module of the service sees it.

export type CustomerTier = 'free' | 'pro' | 'enterprise';

export interface Customer {
  id: number;
  name: string;
  email: string;
  tier: CustomerTier;
  createdAt: string;
}

export class CustomerValidationError extends Error {
  override name = 'CustomerValidationError';
}

export function validateCustomer(input: Partial<Customer>): Customer {
  if (typeof input.id !== 'number' || input.id <= 0) throw new CustomerValidationError('customer id must be a positive number');
  if (!input.name || input.name.trim() === '') throw new CustomerValidationError('customer name is required');
  if (!input.email || !input.email.includes('@')) throw new CustomerValidationError(`invalid customer email: ${input.email ?? ''}`);
  const tier = input.tier ?? 'free';
  if (!['free', 'pro', 'enterprise'].includes(tier)) throw new CustomerValidationError(`unknown tier: ${tier}`);
  return { id: input.id, name: input.name.trim(), email: input.email.toLowerCase(), tier, createdAt: input.createdAt ?? new Date(0).toISOString() };
}
