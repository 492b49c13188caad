/**
 * GET /docs: the OpenAPI document rendered by Swagger UI. The document is embedded in the page (no
 * second request, no CORS). The deployed web app loads Swagger UI from the jsDelivr CDN (the only
 * external URL of the product); the local server serves the swagger-ui-dist package itself and says
 * where by setting the script property DOCS_ASSETS_PROPERTY (a same-origin path such as
 * /__assets/swagger-ui).
 */
export const SWAGGER_UI_VERSION = '5.35.0';
export const SWAGGER_UI_CDN = `https://cdn.jsdelivr.net/npm/swagger-ui-dist@${SWAGGER_UI_VERSION}`;
export const DOCS_ASSETS_PROPERTY = 'api.docs_assets_url';

/**
 * Where Swagger UI's files come from. Only a same-origin path is taken from the property, so a
 * changed property can never make the page load scripts from another site.
 */
export function docsAssetsBase(configured: string | null): string {
  if (configured && /^\/(?!\/)[A-Za-z0-9._~\-/]*$/.test(configured)) return configured.replace(/\/+$/, '');
  return SWAGGER_UI_CDN;
}

/** JSON that is safe inside an inline <script>: no "</script", no "<!--", no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function renderDocsPage(document: unknown, assetsBase: string): string {
  const base = escapeAttribute(assetsBase);
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>YouTube2Sheets Scheduler API</title>',
    `<link rel="stylesheet" href="${base}/swagger-ui.css">`,
    '</head><body>',
    // The page is public (the document holds no secret); trying a request needs the caller's key.
    '<p id="y2s-auth-hint" style="font-family:sans-serif;margin:12px 20px">This page is public. To try a request, choose <strong>Authorize</strong> and enter your API key (<code>key</code>) or an access token; it stays in this page only.</p>',
    '<div id="swagger-ui"></div>',
    `<script src="${base}/swagger-ui-bundle.js"></script>`,
    `<script>window.ui = SwaggerUIBundle({ spec: ${scriptJson(document)}, dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false });</script>`,
    '</body></html>',
  ].join('\n');
}
