// Test doubles for @baton/worker-host: scripted models and fake provider servers.
export {};
