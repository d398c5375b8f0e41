import { Writable } from 'stream';
import { createLogger, createRegistry, requestMetrics } from './index';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('writes JSON with the service name and censors secrets wherever they appear', () => {
    const { lines, destination } = capture();
    const log = createLogger({ service: 'users', destination });
    log.info(
      { body: { credentials: { secret: 's3cr3t-pass' }, email: 'a@b.c' }, refresh_token: 'rt-123' },
      'hello',
    );
    log.info({ req: { headers: { authorization: 'Bearer abc.def' } } }, 'request');
    const text = JSON.stringify(lines);
    expect(lines[0]).toMatchObject({ service: 'users', level: 'info', msg: 'hello' });
    expect(text).not.toContain('s3cr3t-pass');
    expect(text).not.toContain('rt-123');
    expect(text).not.toContain('abc.def');
    expect(text).toContain('a@b.c');
  });
});

describe('metrics', () => {
  it('exposes request series with the service label', async () => {
    const registry = createRegistry('auth');
    const m = requestMetrics(registry, 'grpc');
    m.requests.inc({ method: 'Authenticate', route: '/usher.auth.v1.AuthService/Authenticate', code: 'OK' });
    const text = await registry.metrics();
    expect(text).toMatch(/usher_grpc_requests_total\{method="Authenticate",.*service="auth"\} 1/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
