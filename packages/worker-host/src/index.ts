// Public surface of @baton/worker-host.
export {};
