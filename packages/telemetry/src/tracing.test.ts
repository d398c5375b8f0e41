import path from 'path';
import { spawn } from 'child_process';
import { trace } from '@opentelemetry/api';
import { startOtlpReceiver, type OtlpReceiver } from '@usher/testkit';
import { otlpTracesUrl, startTracing } from './index';

describe('otlpTracesUrl', () => {
  it('adds the OTLP traces path to a bare endpoint and keeps a full one', () => {
    expect(otlpTracesUrl('http://jaeger:4318')).toBe('http://jaeger:4318/v1/traces');
    expect(otlpTracesUrl('http://jaeger:4318/')).toBe('http://jaeger:4318/v1/traces');
    expect(otlpTracesUrl('https://otel.example.com/v1/traces')).toBe('https://otel.example.com/v1/traces');
  });
});

describe('startTracing', () => {
  it('is a no-op without a URL: spans are not recorded', async () => {
    const tracing = await startTracing({
      serviceName: 'x',
      version: '1',
      instanceId: 'i',
      url: '',
      ratio: 1,
    });
    expect(tracing.enabled).toBe(false);
    const span = trace.getTracer('t').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    span.end();
    await tracing.shutdown();
  });

  describe('in a process, with a receiver', () => {
    let receiver: OtlpReceiver;
    beforeAll(async () => {
      receiver = await startOtlpReceiver();
    });
    afterAll(() => receiver.close());

    // The SDK patches modules as they load and its exporter imports lazily: both need a real
    // process (jest's module sandbox has neither), as the services have.
    const script = (url: string) => `
      const { createLogger, startTracing } = require(${JSON.stringify(path.join(__dirname, '..'))});
      (async () => {
        const tracing = await startTracing({
          serviceName: 'users', version: '1.2.3', instanceId: 'replica-7', url: '${url}', ratio: 1,
        });
        const http = require('http');
        const log = createLogger({ service: 'users' });
        const server = http.createServer((req, res) => {
          log.info({ path: req.url.split('?')[0] }, 'inside');
          res.end('ok');
        });
        await new Promise((r) => server.listen(0, '127.0.0.1', r));
        const { port } = server.address();
        for (const p of ['/work?token=mailed-s3cret&page=2', '/health']) {
          await new Promise((r) => http.get({ port, host: '127.0.0.1', path: p }, (res) => res.resume().on('end', r)));
        }
        log.info('outside');
        server.close();
        await tracing.shutdown();
      })();`;

    it('traces incoming HTTP requests (not probes, no secret query values) with the service resource; log lines inside carry the ids', async () => {
      const child = spawn(process.execPath, ['-e', script(receiver.url)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      await new Promise((resolve) => child.once('exit', resolve));
      const lines = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);

      const spans = await receiver.waitFor((s) => s.some((x) => x.kind === 'server'), 5000);
      const server = spans.filter((s) => s.kind === 'server');
      expect(server).toHaveLength(1); // /health is not traced
      expect(server[0]!.attributes).toMatchObject({
        'url.path': '/work',
        'url.query': 'token=REDACTED&page=2',
      });
      expect(receiver.bodies.join('')).not.toContain('mailed-s3cret');
      expect(server[0]!.resource).toMatchObject({
        'service.name': 'users',
        'service.version': '1.2.3',
        'service.instance.id': 'replica-7',
      });
      const client = spans.find((s) => s.kind === 'client' && s.spanId === server[0]!.parentSpanId);
      expect(client?.traceId).toBe(server[0]!.traceId);

      const inside = lines.filter((l) => l.msg === 'inside');
      expect(inside[0]).toMatchObject({
        path: '/work',
        trace_id: server[0]!.traceId,
        span_id: server[0]!.spanId,
      });
      expect(inside[1]).toMatchObject({ path: '/health' });
      expect(lines.find((l) => l.msg === 'outside')).not.toHaveProperty('trace_id');
    });
  });
});
