import { connect, headers } from 'nats';
import { captureNats, describeWithNats, testNatsUrl, waitFor } from './index';

describe('captureNats', () => {
  it('records subject, payload and headers of what is published under a wildcard', async () => {
    if ((await describeWithNats()) === describe.skip) return console.warn('skipped: NATS unreachable');
    const capture = await captureNats('kit.capture.>');
    const nc = await connect({ servers: testNatsUrl() });
    try {
      const h = headers();
      h.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
      nc.publish('kit.capture.one', new TextEncoder().encode('{"a":1}'), { headers: h });
      nc.publish('kit.other', new TextEncoder().encode('nope'));
      await nc.flush();
      await waitFor(() => capture.messages.length === 1, 2000);
      expect(capture.messages[0]).toEqual({
        subject: 'kit.capture.one',
        data: '{"a":1}',
        headers: { traceparent: ['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'] },
      });
    } finally {
      await nc.close();
      await capture.close();
    }
  });
});
