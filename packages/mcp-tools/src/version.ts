// The package version, reported to MCP clients.
export const VERSION = '0.1.0';
