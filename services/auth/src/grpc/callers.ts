import crypto from 'crypto';
import type { PeerCertificate } from 'tls';
import type * as grpc from '@grpc/grpc-js';
import { hashClientSecret, type AuthClients } from '@usher/config';
import { CLIENT_ID_METADATA, CLIENT_SECRET_METADATA } from '@usher/contracts';

// Who is calling: with mTLS the verified client certificate (SAN URI spiffe://<domain>/.../<name>,
// else its CN); without it the usher-client-id metadata proven by usher-client-secret.

export interface CallerPolicy {
  clients: AuthClients;
  /** Client name -> sha256:<hex> of its secret. */
  secretHashes: ReadonlyMap<string, string>;
  /** Client CA configured: only a verified certificate identifies a caller; secrets are not read. */
  mtls: boolean;
}

export type Identification = { ok: true; name: string } | { ok: false; reason: string; claimed?: string };

/** The caller's name from a certificate the TLS layer verified against the client CA. */
export function nameFromCertificate(cert: PeerCertificate): string | undefined {
  for (const entry of (cert.subjectaltname ?? '').split(',')) {
    const san = entry.trim();
    if (!san.startsWith('URI:spiffe://')) continue;
    const segments = san.slice('URI:spiffe://'.length).split('/').slice(1).filter(Boolean);
    const last = segments[segments.length - 1];
    if (last) return last;
  }
  const cn = cert.subject?.CN as string | string[] | undefined;
  return Array.isArray(cn) ? (cn.length === 1 ? cn[0] : undefined) : cn || undefined;
}

const first = (metadata: grpc.Metadata, key: string): string => {
  const value = metadata.get(key)[0];
  return typeof value === 'string' ? value : '';
};

/** Printable and short: a claimed name is attacker-chosen and goes into logs. */
export const printable = (name: string) => name.replace(/[^\w.@:/-]/g, '?').slice(0, 64);

const DUMMY_HASH = hashClientSecret('usher: no such client');

function sameHash(secret: string, expected: string): boolean {
  const actual = Buffer.from(hashClientSecret(secret));
  const wanted = Buffer.from(expected);
  return actual.length === wanted.length && crypto.timingSafeEqual(actual, wanted);
}

export function identify(
  policy: CallerPolicy,
  metadata: grpc.Metadata,
  cert: PeerCertificate | undefined,
): Identification {
  if (policy.mtls) {
    if (!cert) return { ok: false, reason: 'no client certificate signed by the client CA' };
    const name = nameFromCertificate(cert);
    if (!name) return { ok: false, reason: 'client certificate names no caller' };
    if (!policy.clients.has(name)) return { ok: false, reason: 'unknown caller', claimed: name };
    return { ok: true, name };
  }
  const name = first(metadata, CLIENT_ID_METADATA);
  const secret = first(metadata, CLIENT_SECRET_METADATA);
  if (!name) return { ok: false, reason: `no ${CLIENT_ID_METADATA} metadata` };
  const hash = policy.secretHashes.get(name);
  // hash even when there is nothing to compare with: the answer takes as long either way
  const matches = sameHash(secret, hash ?? DUMMY_HASH) && !!hash && !!secret;
  if (!hash || !policy.clients.has(name)) return { ok: false, reason: 'unknown caller', claimed: name };
  if (!secret) return { ok: false, reason: `no ${CLIENT_SECRET_METADATA} metadata`, claimed: name };
  if (!matches) return { ok: false, reason: 'wrong client secret', claimed: name };
  return { ok: true, name };
}
