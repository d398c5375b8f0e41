import path from 'path';
import * as protoLoader from '@grpc/proto-loader';
import { protoDir } from './auth';
import { USER_EVENT_TYPES, subjectOf, type UserEvent } from './events';

// The TypeScript JSON shape and events.proto must agree: every field the publisher writes is a
// field of the proto message, so any proto3 JSON parser reads our events.
function fieldsOf(def: protoLoader.PackageDefinition, name: string): string[] {
  const t = def[name] as unknown as { type: { field: { name: string }[] } };
  return t.type.field.map((f) => f.name);
}

describe('events.proto', () => {
  const def = protoLoader.loadSync('usher/users/v1/events.proto', {
    keepCase: true,
    includeDirs: [protoDir()],
  });

  it('has every field of the JSON payload', () => {
    const sample: Required<UserEvent> = {
      id: 'e',
      type: 'created',
      version: 1,
      occurred_at: '2026-01-01T00:00:00Z',
      actor_id: 'a',
      user: {
        id: 'u',
        first_name: '',
        last_name: '',
        email: '',
        username: '',
        role: 'viewer',
        status: 'enabled',
        tags: [],
        metadata: {},
        picture: '',
        verified_at: '',
        created_at: '',
        updated_at: '',
        updated_by: '',
      },
      changes: { email: { old: 'a', new: 'b' } },
      request: { ip: '', user_agent: '' },
      details: {},
    };
    expect(fieldsOf(def, 'usher.users.v1.UserEvent').sort()).toEqual(Object.keys(sample).sort());
    expect(fieldsOf(def, 'usher.users.v1.User').sort()).toEqual(Object.keys(sample.user).sort());
    expect(fieldsOf(def, 'usher.users.v1.RequestMeta').sort()).toEqual(Object.keys(sample.request).sort());
    expect(fieldsOf(def, 'usher.users.v1.Change').sort()).toEqual(['new', 'old']);
  });

  it('maps each type to its subject', () => {
    expect(subjectOf('role_changed')).toBe('usher.users.role_changed');
    expect(new Set(USER_EVENT_TYPES).size).toBe(USER_EVENT_TYPES.length);
    expect(path.basename(protoDir())).toBe('proto');
  });
});
