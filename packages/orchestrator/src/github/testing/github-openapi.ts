// GitHub's published OpenAPI description (the @octokit/openapi package) as a request checker
// for tests: finds the operation a method and path name, and validates path and query
// parameters and the JSON body against its schemas with Ajv. Responses can be checked too, so
// a fake's answers stay what GitHub would send.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface OpenApiOperation {
  operationId: string;
  method: string;
  template: string;
  params: Record<string, string>;
  /** Pointer to the operation inside the description. */
  pointer: string;
}

interface Route {
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  literalLength: number;
  operation: JsonObject;
}

const escapePointer = (token: string) => encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'));
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export class GitHubOpenApi {
  readonly spec: JsonObject;
  readonly #routes: Route[] = [];
  readonly #ajv: Ajv;
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor() {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    this.spec = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
    this.#ajv = new Ajv({ strict: false, allErrors: true, logger: false, validateSchema: false, validateFormats: true });
    addFormats(this.#ajv);
    this.#ajv.addSchema(this.spec as object, 'github');
    for (const [template, item] of Object.entries(this.spec['paths'] as JsonObject)) {
      for (const [method, operation] of Object.entries(item as JsonObject)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const names: string[] = [];
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'));
        this.#routes.push({ method: method.toUpperCase(), template, regex: new RegExp(`^${source}$`), names, literalLength: template.replace(/\{[^}]+\}/g, '').length, operation: operation as JsonObject });
      }
    }
  }

  /** The operation for a method and path (the most specific template wins), or undefined. */
  match(method: string, path: string): OpenApiOperation | undefined {
    let best: { route: Route; values: string[] } | undefined;
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const m = route.regex.exec(path);
      if (m && (!best || route.literalLength > best.route.literalLength)) best = { route, values: m.slice(1) };
    }
    if (!best) return undefined;
    const params = Object.fromEntries(best.route.names.map((n, i) => [n, decodeURIComponent(best.values[i]!)]));
    return { operationId: String(best.route.operation['operationId']), method, template: best.route.template, params, pointer: `/paths/${escapePointer(best.route.template)}/${method.toLowerCase()}` };
  }

  /** Problems with a request's parameters and body; empty when GitHub's description accepts it. */
  checkRequest(operation: OpenApiOperation, request: { query: URLSearchParams; body: unknown; contentType?: string }): string[] {
    const op = this.#at(operation.pointer) as JsonObject;
    const problems: string[] = [];
    const declared = ((op['parameters'] ?? []) as JsonObject[]).map((p) => this.#resolve(p) as JsonObject);
    for (const parameter of declared) {
      const name = String(parameter['name']);
      const where = parameter['in'];
      const raw = where === 'path' ? operation.params[name] : where === 'query' ? request.query.get(name) ?? undefined : undefined;
      if (where !== 'path' && where !== 'query') continue;
      if (raw === undefined) {
        if (parameter['required'] === true) problems.push(`${where} parameter ${name} is required`);
        continue;
      }
      const schema = parameter['schema'] as JsonObject;
      const value = schema['type'] === 'integer' || schema['type'] === 'number' ? (/^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw) : schema['type'] === 'boolean' ? (raw === 'true' ? true : raw === 'false' ? false : raw) : raw;
      problems.push(...this.#validate(this.#schemaPointerOf(parameter, operation, name), value, `${where} parameter ${name}`));
    }
    const known = new Set(declared.filter((p) => p['in'] === 'query').map((p) => String(p['name'])));
    for (const name of request.query.keys()) if (!known.has(name)) problems.push(`query parameter ${name} is not in GitHub's description of ${operation.operationId}`);
    const requestBody = op['requestBody'] as JsonObject | undefined;
    if (requestBody) {
      if (request.body === undefined) {
        if (requestBody['required'] === true) problems.push('a JSON body is required');
      } else {
        if (!/^application\/json\b/.test(request.contentType ?? '')) problems.push(`the body must be sent as application/json, not ${request.contentType ?? 'nothing'}`);
        problems.push(...this.#validate(`${operation.pointer}/requestBody/content/application~1json/schema`, request.body, 'body'));
      }
    } else if (request.body !== undefined) {
      problems.push(`${operation.operationId} takes no body`);
    }
    return problems;
  }

  /** Problems with a response the fake is about to send, against the status's schema (if GitHub describes that status). */
  checkResponse(operation: OpenApiOperation, status: number, body: unknown): string[] {
    const response = this.#resolve((this.#at(operation.pointer) as JsonObject)['responses'] as JsonObject)[String(status)] as JsonObject | undefined;
    if (!response) return [];
    const resolved = this.#resolve(response);
    const content = resolved['content'] as JsonObject | undefined;
    if (!content?.['application/json']) return [];
    const pointer = (response as JsonObject)['$ref'] ? `${String((response as JsonObject)['$ref']).slice(1)}/content/application~1json/schema` : `${operation.pointer}/responses/${status}/content/application~1json/schema`;
    return this.#validate(pointer, body, `response ${status}`);
  }

  /** GitHub's own example answer for an operation's status. */
  example(operation: OpenApiOperation, status: number): unknown {
    const response = this.#resolve(((this.#at(operation.pointer) as JsonObject)['responses'] as JsonObject)[String(status)] as JsonObject) as JsonObject;
    const examples = ((response['content'] as JsonObject)['application/json'] as JsonObject)['examples'] as JsonObject;
    const first = Object.values(examples)[0] as JsonObject;
    return structuredClone((this.#resolve(first) as JsonObject)['value']);
  }

  #schemaPointerOf(parameter: JsonObject, operation: OpenApiOperation, name: string): string {
    const op = this.#at(operation.pointer) as JsonObject;
    const index = ((op['parameters'] ?? []) as JsonObject[]).findIndex((p) => (this.#resolve(p) as JsonObject)['name'] === name && (this.#resolve(p) as JsonObject)['in'] === parameter['in']);
    const raw = ((op['parameters'] ?? []) as JsonObject[])[index]!;
    return raw['$ref'] ? `${String(raw['$ref']).slice(1)}/schema` : `${operation.pointer}/parameters/${index}/schema`;
  }

  #validate(pointer: string, value: unknown, what: string): string[] {
    let validate = this.#compiled.get(pointer);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: `github#${pointer}` });
      this.#compiled.set(pointer, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${what}${e.instancePath}: ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`);
  }

  #at(pointer: string): Json {
    let node: Json = this.spec;
    for (const token of pointer.split('/').slice(1)) node = (node as JsonObject)[decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~')]!;
    return node;
  }

  #resolve(node: JsonObject): JsonObject {
    let current = node;
    while (typeof current['$ref'] === 'string') current = this.#at(current['$ref'].slice(1)) as JsonObject;
    return current;
  }
}
