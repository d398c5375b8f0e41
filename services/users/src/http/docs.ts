import fs from 'fs';
import path from 'path';
import { Router, type Response } from 'express';

/** services/users/openapi.yaml, from src/http (tests, ts) and dist/http (built service) alike. */
export const OPENAPI_FILE = path.join(__dirname, '../../openapi.yaml');

/**
 * The reference page runs Swagger UI from the swagger-ui-dist package, served from node_modules:
 * nothing is loaded from elsewhere, and no inline script or style is needed.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // swagger-ui.css draws its icons as data: SVGs.
  "img-src 'self' data:",
  "font-src 'self'",
  // The page fetches /openapi.yaml, and "Try it out" calls this service.
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const uiDir = () => path.dirname(require.resolve('swagger-ui-dist/package.json'));

/** Our own start-up script: an external file, so the CSP needs no 'unsafe-inline'. */
const INIT_JS = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.yaml',
    dom_id: '#swagger-ui',
    deepLinking: true,
    // No badge from an outside validator: the page talks to this service only.
    validatorUrl: null,
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Usher users API</title>
    <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png" />
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/assets/docs.js"></script>
  </body>
</html>
`;

const ASSETS: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const common = (res: Response) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
};

/**
 * GET /openapi.yaml (the contract), GET /docs (an interactive reference page) and its assets under
 * /docs/assets. Mount before the body parser and the authenticated routes: all of it is public.
 */
export function docsRouter(): Router {
  const r = Router({ strict: true });
  let spec: Buffer | undefined;

  r.get('/openapi.yaml', (_req, res) => {
    spec ??= fs.readFileSync(OPENAPI_FILE);
    common(res);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('application/yaml').send(spec);
  });

  r.get('/docs', (_req, res) => {
    common(res);
    res.setHeader('Content-Security-Policy', DOCS_CSP);
    res.setHeader('Cache-Control', 'no-cache');
    res.type('text/html; charset=utf-8').send(PAGE);
  });

  r.get('/docs/assets/:file', (req, res, next) => {
    const file = String(req.params.file);
    common(res);
    if (file === 'docs.js') {
      res.type('text/javascript; charset=utf-8').send(INIT_JS);
      return;
    }
    const type = ASSETS[file];
    if (!type) return next(); // the app's 404
    res.setHeader('Content-Type', type);
    // `root`: the package lives under node_modules/.pnpm, a dot directory send() would refuse.
    res.sendFile(file, { root: uiDir(), maxAge: '1h' }, (err) => {
      if (err) next(err);
    });
  });

  return r;
}
