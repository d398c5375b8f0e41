import fs from 'fs';
import path from 'path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import YAML from 'yaml';

// Validates responses against services/users/openapi.yaml, so the spec and the code cannot drift:
// every response the integration tests receive through harness.ts `api()` goes through here.

export const SPEC_PATH = path.join(__dirname, '../openapi.yaml');
/** The $id the whole spec is registered under; response schemas are compiled by JSON pointer into it. */
const SPEC_ID = 'https://usher.local/users/openapi.json';

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/* eslint-disable @typescript-eslint/no-explicit-any -- the spec is plain parsed YAML */
type Json = any;

export interface SpecOperation {
  method: string;
  template: string;
  operation: Json;
}

interface CompiledPath {
  template: string;
  regex: RegExp;
  params: number;
  item: Json;
}

interface Loaded {
  spec: Json;
  ajv: Ajv2020;
  paths: CompiledPath[];
  validators: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

/** The parsed spec (read once). */
export function loadSpec(): Json {
  return load().spec;
}

function load(): Loaded {
  if (loaded) return loaded;
  const spec = YAML.parse(fs.readFileSync(SPEC_PATH, 'utf8'));
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
  addFormats(ajv);
  // OpenAPI words that are not JSON Schema keywords: schema annotations, and the document's own
  // top-level fields (Ajv compiles the root on its way to a `#/components/...` pointer).
  ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
  ajv.addVocabulary([
    'openapi',
    'info',
    'jsonSchemaDialect',
    'servers',
    'paths',
    'webhooks',
    'components',
    'security',
    'tags',
  ]);
  ajv.addSchema({ ...spec, $id: SPEC_ID }, undefined, undefined, false);
  const paths = Object.entries<Json>(spec.paths ?? {})
    .map(([template, item]) => {
      const params = (template.match(/\{[^}]+\}/g) ?? []).length;
      const source = template
        .split(/(\{[^}]+\})/)
        .map((part) => (part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
        .join('');
      return { template, regex: new RegExp(`^${source}$`), params, item };
    })
    // Concrete paths before templated ones (/users/profile before /users/{id}), as OpenAPI says.
    .sort((a, b) => a.params - b.params || b.template.length - a.template.length);
  loaded = { spec, ajv, paths, validators: new Map() };
  return loaded;
}

/** Every (method, path template) of the spec. */
export function specOperations(): SpecOperation[] {
  const { spec } = load();
  const out: SpecOperation[] = [];
  for (const [template, item] of Object.entries<Json>(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      if (item[method]) out.push({ method: method.toUpperCase(), template, operation: item[method] });
    }
  }
  return out;
}

/**
 * The operation serving `method path`: the first matching template (concrete paths first) that has
 * the method, as express tries the routes; undefined when the spec has none.
 */
export function findOperation(method: string, pathWithQuery: string): SpecOperation | undefined {
  const { paths } = load();
  let pathname = pathWithQuery.split(/[?#]/)[0] || '/';
  if (pathname.length > 1 && pathname.endsWith('/')) pathname = pathname.slice(0, -1);
  const m = method.toLowerCase();
  for (const p of paths) {
    if (p.regex.test(pathname) && p.item[m])
      return { method: m.toUpperCase(), template: p.template, operation: p.item[m] };
  }
  return undefined;
}

/** JSON pointer escaping of one path segment. */
const esc = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** Follows a local `#/...` $ref (of a response or header object) to its target and pointer. */
function deref(spec: Json, node: Json, pointer: string): { node: Json; pointer: string } {
  let seen = 0;
  while (node && typeof node.$ref === 'string') {
    if (!node.$ref.startsWith('#/') || ++seen > 10) throw new Error(`cannot follow $ref ${node.$ref}`);
    pointer = node.$ref.slice(1);
    node = pointer
      .split('/')
      .slice(1)
      .reduce((at: Json, seg) => at?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
    if (node === undefined) throw new Error(`unresolved $ref #${pointer}`);
  }
  return { node, pointer };
}

function validatorAt(pointer: string): ValidateFunction {
  const l = load();
  let v = l.validators.get(pointer);
  if (!v) {
    v = l.ajv.getSchema(`${SPEC_ID}#${pointer}`);
    if (!v) throw new Error(`no schema at #${pointer}`);
    l.validators.set(pointer, v);
  }
  return v;
}

const mediaType = (contentType: string | null | undefined) =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase();
const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 10)
    .map(
      (e) =>
        `  ${e.instancePath || '(root)'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`,
    )
    .join('\n');
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;
const headerOf = (headers: HeaderBag, name: string): string | undefined => {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const entry = Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  return Array.isArray(entry) ? entry.join(', ') : entry;
};

/**
 * Checks one response against the spec: the operation exists (or the answer is the 404 of an
 * unknown route), the status is documented for it, the content type is documented for that status,
 * required headers are present and valid, and a JSON body matches the response schema. Bodies of
 * other content types are not read. Throws an Error naming the route, status and schema errors.
 */
export function validateResponse(
  method: string,
  pathWithQuery: string,
  status: number,
  headers: HeaderBag,
  bodyText: string,
): void {
  const { spec } = load();
  const op = findOperation(method, pathWithQuery);
  const where = op
    ? `${op.method} ${op.template} (${method.toUpperCase()} ${pathWithQuery})`
    : `${method.toUpperCase()} ${pathWithQuery}`;
  const fail = (what: string): never => {
    const excerpt = bodyText.length > 600 ? `${bodyText.slice(0, 600)}...` : bodyText;
    throw new Error(`OpenAPI: ${where} -> ${status}: ${what}\n  body: ${excerpt}`);
  };

  if (!op) {
    // Not in the spec: only the catch-all "route not found" answer is acceptable.
    if (status !== 404) fail('no operation in openapi.yaml matches this method and path');
    const validate = validatorAt('/components/responses/NotFound/content/application~1json/schema');
    let body: unknown;
    try {
      body = JSON.parse(bodyText);
    } catch {
      fail('an unknown route must answer the JSON Error body');
    }
    if (!validate(body))
      fail(`an unknown route must answer the not_found Error body:\n${describeErrors(validate.errors)}`);
    return;
  }

  const opPointer = `/paths/${esc(op.template)}/${op.method.toLowerCase()}`;
  const responses: Json = op.operation.responses ?? {};
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => responses[k] !== undefined);
  if (!key) fail(`status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`);
  const { node: response, pointer: responsePointer } = deref(
    spec,
    responses[key!],
    `${opPointer}/responses/${key}`,
  );

  for (const [name, raw] of Object.entries<Json>(response.headers ?? {})) {
    const { node: header, pointer: headerPointer } = deref(
      spec,
      raw,
      `${responsePointer}/headers/${esc(name)}`,
    );
    const value = headerOf(headers, name);
    if (value === undefined) {
      if (header.required) fail(`required header ${name} is missing`);
      continue;
    }
    if (header.schema) {
      const validate = validatorAt(`${headerPointer}/schema`);
      const typed =
        header.schema.type === 'integer' || header.schema.type === 'number'
          ? /^-?\d+(\.\d+)?$/.test(value)
            ? Number(value)
            : value
          : value;
      if (!validate(typed))
        fail(
          `header ${name}: ${JSON.stringify(value)} does not match its schema:\n${describeErrors(validate.errors)}`,
        );
    }
  }

  const content: Json = response.content;
  if (!content || Object.keys(content).length === 0) {
    if (bodyText !== '') fail('the documented response has no body, but one came');
    return;
  }
  const type = mediaType(headerOf(headers, 'content-type'));
  const documented = Object.keys(content);
  const mediaKey =
    documented.find((k) => k.toLowerCase() === type) ??
    documented.find((k) => k.endsWith('/*') && type.startsWith(k.slice(0, -1)));
  if (!mediaKey)
    fail(`content type ${JSON.stringify(type)} is not documented (documented: ${documented.join(', ')})`);
  if (!isJson(type) || !content[mediaKey!].schema) return;

  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    fail(`the body is not valid JSON although the content type is ${type}`);
  }
  const schemaPointer = `${responsePointer}/content/${esc(mediaKey!)}/schema`;
  const validate = validatorAt(schemaPointer);
  if (!validate(body)) fail(`the body does not match #${schemaPointer}:\n${describeErrors(validate.errors)}`);
}
