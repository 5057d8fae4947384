// Emails sent to customers; the transport is injected so tests see what would be sent.
import type { Customer } from '../domain/customer.ts';

export interface Email {
  to: string;
  subject: string;
  body: string;
}

export function welcomeEmail(customer: Customer): Email {
  const plan = customer.tier === 'free' ? 'the free plan' : `the ${customer.tier} plan`;
  return { to: customer.email, subject: `Welcome, ${customer.name}`, body: `Hello ${customer.name}, your account on ${plan} is ready.` };
}

export async function notifyNewCustomer(customer: Customer, send: (email: Email) => Promise<void>): Promise<void> {
  await send(welcomeEmail(customer));
}
