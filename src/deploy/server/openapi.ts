/**
 * GET /openapi.json: an OpenAPI 3.1 document of the routes kiln serves, built from the live
 * primary model's input schema (column types, nullability, categories, training ranges) so that
 * clients can be generated and requests checked before they are sent. It describes what the
 * server accepts: ranges become `minimum`/`maximum` only when the server refuses values outside
 * them (checkRanges: true); otherwise they are stated in each column's description.
 */
import type { ColumnSchema, Schema } from '../../data/schema.js';
import type { ResolvedOptions } from './options.js';
import type { ServedModel } from './types.js';

export interface OpenApiContext {
  /** The model whose input the document describes (the primary); undefined before the first load. */
  model: ServedModel | undefined;
  /** The classes of a classifier (the response's `classes`), when known. */
  classes?: readonly unknown[];
  probabilities: boolean;
  options: Pick<ResolvedOptions, 'checkRanges' | 'extraFields' | 'maxRows' | 'keyField' | 'token'>;
  /** Where kiln's routes are mounted ('' for kiln's own server, the plugin's prefix inside a host app). */
  prefix: string;
  /** Whether POST /feedback takes ground truth (the server keeps a prediction log). */
  feedback: boolean;
}

type Json = Record<string, unknown>;

function columnSchema(name: string, c: ColumnSchema, strictRanges: boolean): Json {
  const out: Json = {};
  if (c.type === 'string') {
    out.type = c.nullable ? ['string', 'null'] : 'string';
    if (c.values) out.enum = c.nullable ? [...c.values, null] : [...c.values];
  } else if (c.datetime) {
    // a date as ISO 8601 text or epoch milliseconds
    out.oneOf = [{ type: 'string', format: 'date-time' }, { type: 'number' }, ...(c.nullable ? [{ type: 'null' }] : [])];
  } else {
    out.type = c.nullable ? ['number', 'null'] : 'number';
    if (strictRanges && c.min !== undefined) out.minimum = c.min;
    if (strictRanges && c.max !== undefined) out.maximum = c.max;
  }
  const range = c.type === 'number' && c.min !== undefined && c.max !== undefined ? ` Training range: [${c.min}, ${c.max}].` : '';
  out.description = `Column '${name}'${c.nullable ? ' (may be null or absent: missing)' : ''}.${range}`;
  return out;
}

/** A value the column accepts: the middle of its training range, its first category, or a date. */
function exampleValue(c: ColumnSchema): unknown {
  if (c.type === 'string') return c.values?.[0] ?? 'text';
  if (c.datetime) return new Date(c.min !== undefined && c.max !== undefined ? (c.min + c.max) / 2 : 0).toISOString();
  if (c.min !== undefined && c.max !== undefined) return (c.min + c.max) / 2;
  return 0;
}

/** One example row of the schema, every column given. */
export function exampleRow(schema: Schema): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).map(([k, c]) => [k, exampleValue(c)]));
}

function errorResponse(description: string): Json {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

/** POST /feedback: one { requestId | key, actual } or { items: [...] } of them. */
function feedbackSchema(): Json {
  const item = {
    type: 'object',
    required: ['actual'],
    properties: {
      requestId: { type: 'string', description: 'The x-request-id header of the prediction' },
      key: { type: 'string', description: 'The routing key the prediction was made with' },
      actual: { description: 'The true label or value' },
    },
    anyOf: [{ required: ['requestId'] }, { required: ['key'] }],
  };
  return { oneOf: [item, { type: 'object', required: ['items'], properties: { items: { type: 'array', minItems: 1, items: item } } }] };
}

/** The OpenAPI 3.1 document of the server as it is now. */
export function openApiDocument(ctx: OpenApiContext): Json {
  const m = ctx.model;
  const schema = m?.inputSchema;
  const strict = ctx.options.checkRanges === true;
  const row: Json = schema
    ? {
        type: 'object',
        properties: Object.fromEntries(Object.entries(schema).map(([k, c]) => [k, columnSchema(k, c, strict)])),
        required: Object.entries(schema)
          .filter(([, c]) => !c.nullable)
          .map(([k]) => k),
        additionalProperties: ctx.options.extraFields !== 'reject',
      }
    : { description: 'This model has no input schema: send "instances" (arrays of numbers in training column order).' };
  const instance: Json = schema
    ? {
        type: 'array',
        prefixItems: Object.entries(schema).map(([k, c]) => columnSchema(k, c, strict)),
        minItems: Object.keys(schema).length,
        maxItems: Object.keys(schema).length,
      }
    : { type: 'array', items: { type: ['number', 'null'] }, minItems: 1 };
  const rowsOnly = { type: 'array', minItems: 1, maxItems: ctx.options.maxRows };
  const flags = {
    probabilities: { type: 'boolean', description: 'false leaves class probabilities out of the answer (default: true for classifiers)' },
    [ctx.options.keyField]: { type: ['string', 'number'], description: 'A routing key: the same key always reaches the same variant (A/B, canary)' },
  };
  const request: Json = {
    oneOf: [
      ...(schema
        ? [
            { type: 'object', required: ['rows'], properties: { rows: { ...rowsOnly, items: { $ref: '#/components/schemas/Row' } }, ...flags } },
            { type: 'object', required: ['row'], properties: { row: { $ref: '#/components/schemas/Row' }, ...flags } },
          ]
        : []),
      { type: 'object', required: ['instances'], properties: { instances: { ...rowsOnly, items: { $ref: '#/components/schemas/Instance' } }, ...flags } },
    ],
  };
  const example = schema ? { rows: [exampleRow(schema)] } : undefined;
  const predictionItem = ctx.classes ? { enum: [...ctx.classes] } : {};
  const response: Json = {
    type: 'object',
    required: ['predictions', 'model', 'variant'],
    properties: {
      predictions: { type: 'array', items: predictionItem },
      ...(ctx.probabilities ? { probabilities: { type: 'array', items: { type: 'array', items: { type: 'number', minimum: 0, maximum: 1 } } } } : {}),
      ...(ctx.classes ? { classes: { type: 'array', items: predictionItem } } : {}),
      model: { type: 'object', properties: { name: { type: 'string' }, version: { type: ['integer', 'string'] } } },
      variant: { enum: ['primary', 'candidate'] },
      warnings: { type: 'array', items: { type: 'string' } },
    },
  };
  const secured = ctx.options.token !== undefined;
  const security = secured ? [{ bearer: [] }] : undefined;
  const op = (o: Json): Json => (security ? { ...o, security } : o);
  const paths: Json = {
    '/predict': {
      post: op({
        operationId: 'predict',
        summary: `Predictions of ${m ? `${m.name} (version ${m.version})` : 'the live model'}`,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/PredictRequest' }, ...(example ? { example } : {}) } },
        },
        responses: {
          200: { description: 'One prediction per row', content: { 'application/json': { schema: { $ref: '#/components/schemas/PredictResponse' } } } },
          400: errorResponse('A row does not fit the input schema (the error names the row, field and problem)'),
          ...(secured ? { 401: errorResponse('Missing or wrong bearer token') } : {}),
          413: errorResponse('The body is larger than the server accepts'),
          415: errorResponse('The body is not JSON'),
          503: errorResponse('No model is loaded yet, or the server is shutting down'),
        },
      }),
    },
    '/health': { get: { operationId: 'health', summary: 'The process answers', responses: { 200: { description: 'ok' } } } },
    '/ready': {
      get: { operationId: 'ready', summary: 'A model is loaded', responses: { 200: { description: 'ready' }, 503: errorResponse('Not ready') } },
    },
    '/models': { get: op({ operationId: 'models', summary: 'What each variant serves', responses: { 200: { description: 'The live variants' } } }) },
    '/metrics': { get: op({ operationId: 'metrics', summary: 'Prometheus metrics', responses: { 200: { description: 'Text exposition format' } } }) },
  };
  if (ctx.feedback) {
    paths['/feedback'] = {
      post: op({
        operationId: 'feedback',
        summary: 'Ground truth for earlier predictions, by request id or key',
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Feedback' } } } },
        responses: { 200: { description: 'Recorded' }, 400: errorResponse('Malformed feedback') },
      }),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: m ? `kiln model server: ${m.name}` : 'kiln model server',
      version: m ? String(m.version) : '0',
      description: 'Generated from the live model input schema. Bodies take rows as objects ("rows" or "row") or as arrays in column order ("instances").',
    },
    ...(ctx.prefix ? { servers: [{ url: ctx.prefix }] } : {}),
    paths,
    components: {
      schemas: {
        Row: row,
        Instance: instance,
        PredictRequest: request,
        PredictResponse: response,
        ...(ctx.feedback ? { Feedback: feedbackSchema() } : {}),
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                requestId: { type: 'string' },
                row: { type: 'integer' },
                field: {},
                problem: { type: 'string' },
              },
            },
          },
        },
      },
      ...(secured ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } : {}),
    },
  };
}
