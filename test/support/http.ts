import { expect } from 'vitest';
import type { Services } from '../../shared/app/services';
import { createApp } from '../../shared/http/app';
import { Contract, type OpenApiDocument } from './contract';

/** The JSON body of a response, loosely typed: tests assert its shape themselves. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions inspect arbitrary JSON
export async function json(response: Response): Promise<any> {
  return response.json();
}

/** Fails the test when an answer departs from the OpenAPI document the app serves. */
export async function expectConforms(contract: Contract, method: string, url: string, response: Response) {
  const violations = await contract.violations(method, url, response.clone());
  expect(violations, 'the answer conforms to /openapi.json').toEqual([]);
}

/**
 * The app of the HTTP tests: every answer any test receives is checked against the contract
 * (`/openapi.json`, as the app itself serves it) before the test sees it.
 */
export async function contractApp(services: Services) {
  const app = createApp(services);
  const contract = new Contract((await (await app.request('/openapi.json')).json()) as OpenApiDocument);
  const request = app.request.bind(app);
  app.request = (async (input, init, ...rest) => {
    const response = await request(input, init, ...rest);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const url = input instanceof Request ? input.url : String(input);
    await expectConforms(contract, method, url, response);
    return response;
  }) as typeof app.request;
  return app;
}

/** Checks every answer of a running server (the embedded runtime) against the document it serves. */
export function contractFetch(baseUrl: string): typeof fetch {
  let contract: Promise<Contract> | undefined;
  return async (input, init) => {
    contract ??= fetch(`${baseUrl}/openapi.json`).then(
      async (r) => new Contract((await r.json()) as OpenApiDocument),
    );
    const response = await fetch(input, init);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const url = input instanceof Request ? input.url : String(input);
    await expectConforms(await contract, method, url, response);
    return response;
  };
}
