import zlib from 'zlib';
import { startOtlpReceiver } from './index';

const payload = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'users' } }] },
      scopeSpans: [
        {
          scope: { name: '@opentelemetry/instrumentation-http' },
          spans: [
            {
              traceId: 'a'.repeat(32),
              spanId: 'b'.repeat(16),
              name: 'POST /users',
              kind: 2,
              attributes: [
                { key: 'http.status_code', value: { intValue: '201' } },
                { key: 'ok', value: { boolValue: true } },
              ],
              events: [{ name: 'exception', attributes: [{ key: 'k', value: { stringValue: 'v' } }] }],
              status: { code: 0 },
            },
            { traceId: 'a'.repeat(32), spanId: 'c'.repeat(16), parentSpanId: 'b'.repeat(16), name: 'q' },
          ],
        },
      ],
    },
  ],
};

describe('OTLP receiver', () => {
  it('decodes OTLP/HTTP JSON exports (plain or gzip) into flat spans and keeps the raw bodies', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const post = (body: Buffer, headers: Record<string, string>) =>
        fetch(`${receiver.url}/v1/traces`, { method: 'POST', headers, body });
      const json = Buffer.from(JSON.stringify(payload));
      expect((await post(json, { 'content-type': 'application/json' })).status).toBe(200);
      expect(
        (await post(zlib.gzipSync(json), { 'content-type': 'application/json', 'content-encoding': 'gzip' }))
          .status,
      ).toBe(200);
      expect((await post(json, { 'content-type': 'application/x-protobuf' })).status).toBe(415);

      const spans = await receiver.waitFor((s) => s.length === 4, 1000);
      expect(spans[0]).toMatchObject({
        traceId: 'a'.repeat(32),
        spanId: 'b'.repeat(16),
        parentSpanId: '',
        name: 'POST /users',
        kind: 'server',
        service: 'users',
        scope: '@opentelemetry/instrumentation-http',
        attributes: { 'http.status_code': 201, ok: true },
        events: [{ name: 'exception', attributes: { k: 'v' } }],
      });
      expect(spans[1]).toMatchObject({ parentSpanId: 'b'.repeat(16), kind: 'unspecified' });
      expect(receiver.bodies).toHaveLength(2);
      expect(receiver.bodies[1]).toContain('POST /users');
      await expect(receiver.waitFor((s) => s.length > 4, 100)).rejects.toThrow(
        /4 spans received: users:server/,
      );
    } finally {
      await receiver.close();
    }
  });
});
