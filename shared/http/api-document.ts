// The API document (`/openapi.json`, and the `/docs` page made from it): every audience's routes, the
// key scheme and the webhooks, written by zod-to-openapi's generator. app.tsx loads this module on
// the first request for the document, and the Lambda bundle keeps the generator out of what a cold
// start loads (zodToOpenApiGeneratorApart, infra/bundling.ts).
import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { Services } from '../app/services';
import { everyRoute } from './app';
import { registerWebhooks } from './webhooks';

const API_VERSION = '1.0.0';

type ApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** The API document of the app `createApp` makes for `config`, its paths in the order they are mounted. */
export async function apiDocument(config: Services['config']): Promise<ApiDocument> {
  const { openAPIRegistry: registry } = await everyRoute(config);
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An office or unit API key, issued by the campaign office',
  });
  registerWebhooks(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Zhuqi API',
      version: API_VERSION,
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    servers: [{ url: '/', description: 'this deployment (where this document is served)' }],
    tags: TAGS,
  });
}

const DESCRIPTION = `Case platform of the enterprise support campaign (万人助企).

Enterprises file problems (public operations, no key); the campaign office triages and assigns them and manages units and their keys (office key); units answer their assignments (unit key). Keys are sent as \`Authorization: Bearer <key>\`; a missing, unknown or revoked key answers 401 with \`WWW-Authenticate\`, a key of another role 403.

Errors are RFC 9457 problem documents (\`application/problem+json\`, schema \`Problem\`): its \`type\` names the kind of problem, \`errors\` lists each invalid field.

Lists are paged with \`limit\` and \`cursor\`: follow \`cursor\` until an answer comes without one.

Notices for units are pushed to their webhooks, signed: see \`webhooks\`.`;

const TAGS = [
  { name: 'public', description: 'Enterprises and anyone: the catalogue, filing, tracking, the survey' },
  { name: 'office', description: 'The county campaign office (县助企活动办), with an office key' },
  { name: 'unit', description: 'Responsible units (承办单位), with a unit key: their own cases only' },
  { name: 'webhooks', description: 'Notices the notifier pushes to a unit’s webhook, signed' },
];
