import SwaggerParser from '@apidevtools/swagger-parser';
import { buildOpenApiDocument, DAILY_SYNC_EXAMPLE, documentedRoutes } from '../../../src-server/api/openapi';
import { requiredAuth, ROUTES } from '../../../src-server/api/routes';
import { docsAssetsBase, renderDocsPage, SWAGGER_UI_CDN } from '../../../src-server/api/docs-page';
import { parseJobConfig } from '../../../src-server/domain/job';
import { createHarness } from './support';

type Doc = {
  paths: Record<string, Record<string, { parameters?: { name: string }[]; requestBody?: unknown; responses: Record<string, unknown> }>>;
};

describe('the OpenAPI document', () => {
  test('is a valid OpenAPI 3 document', async () => {
    const doc = buildOpenApiDocument([{ url: 'https://script.google.com/macros/s/ID/exec/api/v1', description: 'deployed' }]);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  test('lists exactly the routes of the router', () => {
    const routed = ROUTES.map((r) => `${r.method} ${r.path}`).sort();
    expect(documentedRoutes().sort()).toEqual(routed);
    const doc = buildOpenApiDocument([]) as unknown as Doc;
    const fromPaths = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(fromPaths.sort()).toEqual(routed);
  });

  test('documents for each route the credential the router requires', () => {
    const doc = buildOpenApiDocument([]) as unknown as {
      paths: Record<string, Record<string, { security?: Record<string, unknown>[]; description?: string }>>;
    };
    for (const route of ROUTES) {
      const op = doc.paths[route.path]![route.method.toLowerCase()]!;
      const auth = requiredAuth(route);
      const open = (op.security ?? []).some((s) => Object.keys(s).length === 0);
      expect({ route: `${route.method} ${route.path}`, open }).toEqual({ route: `${route.method} ${route.path}`, open: auth === 'none' });
      expect({ route: `${route.method} ${route.path}`, write: /write-scope/.test(op.description ?? '') }).toEqual({
        route: `${route.method} ${route.path}`,
        write: auth === 'write',
      });
    }
  });

  test('documents the query parameters the router validates, bodies, and the error answers', () => {
    const doc = buildOpenApiDocument([]) as unknown as Doc;
    const list = doc.paths['/jobs']!.get!;
    expect(list.parameters!.map((p) => p.name).sort()).toEqual(['enabled', 'order', 'page', 'page_size', 'q', 'sort', 'status', 'tag']);
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['200', '401', '422', '429', '500']));
    expect(doc.paths['/jobs']!.post!.requestBody).toMatchObject({ content: { 'application/json': { example: DAILY_SYNC_EXAMPLE } } });
    expect(doc.paths['/jobs/{id}']!.delete!.parameters!.map((p) => p.name)).toEqual(['id']);
  });

  test('the job schema comes from the domain schema: its Daily Sync example is valid there', () => {
    expect(parseJobConfig(DAILY_SYNC_EXAMPLE, { defaultTimezone: 'UTC' }).ok).toBe(true);
    const doc = buildOpenApiDocument([]) as {
      components: { schemas: { JobConfig: { required: string[]; additionalProperties: boolean } } };
    };
    expect(doc.components.schemas.JobConfig.required).toEqual(expect.arrayContaining(['name', 'channels', 'schedule_type']));
    expect(doc.components.schemas.JobConfig.additionalProperties).toBe(false);
  });

  test('GET /openapi.json serves it with the deployed URL as server', () => {
    const h = createHarness();
    const { response } = h.call('GET', '/openapi.json', { key: h.readKey });
    expect(response.contentType).toBe('application/json');
    expect(JSON.parse(response.body).servers).toEqual([
      { url: 'https://script.google.com/macros/s/ID/exec/api/v1', description: 'Deployed web app' },
      { url: '/exec/api/v1', description: 'Local server (npm start)' },
    ]);
  });
});

describe('GET /docs', () => {
  test('renders Swagger UI with the document embedded, from the CDN by default', () => {
    const h = createHarness();
    const { response } = h.call('GET', '/docs', { key: h.readKey });
    expect(response.contentType).toBe('text/html');
    expect(response.body).toContain(`${SWAGGER_UI_CDN}/swagger-ui-bundle.js`);
    expect(response.body).toContain('"operationId":"createJob"');
  });

  test("uses the local server's assets path when the property names one; never another origin", () => {
    expect(docsAssetsBase('/__assets/swagger-ui/')).toBe('/__assets/swagger-ui');
    expect(docsAssetsBase('//evil.example/x')).toBe(SWAGGER_UI_CDN);
    expect(docsAssetsBase('https://evil.example/x')).toBe(SWAGGER_UI_CDN);
    expect(docsAssetsBase('/a"><script>')).toBe(SWAGGER_UI_CDN);
    const h = createHarness();
    h.properties.setMany({ 'api.docs_assets_url': '/__assets/swagger-ui' });
    const page = h.call('GET', '/docs', { key: h.readKey }).response.body;
    expect(page).toContain('src="/__assets/swagger-ui/swagger-ui-bundle.js"');
    // Locally, "Try it out" calls the local server first.
    expect(page).toContain('"servers":[{"url":"/exec/api/v1"');
  });

  test('text in the document cannot close the inline script', () => {
    const html = renderDocsPage({ info: { description: '</script><script>alert(1)</script>' } }, SWAGGER_UI_CDN);
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });
});
